"""Keys typed in one burst keep their order and reach the field one of them opens: `/москва`, `#проверить`, or a
name typed into the entity browser. A terminal delivers such a burst in one read. Textual hands each key to the
widget focused when the key arrives, while the key that opens a field acts only once it has come back up from
that widget, so the keys behind it went to the list (moving its cursor) or were dropped."""

import weakref
from collections import deque
from collections.abc import Awaitable, Callable
from functools import partial

from textual import events
from textual.app import App
from textual.dom import NoScreen
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget

HOLD_SECONDS = 0.25  # the longest a key waits for those ahead of it: a widget removed meanwhile never answers


class KeyHandled(Message):
    """Sent behind each key the App hands out, along the same widgets: back at the App, that key is done."""


def focus_now(widget: Widget) -> None:
    """Focus at once, not at the next idle (`Widget.focus`), so a key already queued behind this one finds it."""
    widget.screen.set_focus(widget)


def type_into(field: Widget, event: events.Key) -> None:
    """Focus the field now and send it the key: the first key of a burst that opens a field. The field takes it
    as any key typed into it (after its focus event: an input that selects its text on focus has it replaced)."""
    event.stop()
    focus_now(field)
    send_on(field, event)


def send_on(target: Widget, event: events.Key) -> events.Key:
    """A copy of the key, sent to `target` and marked as forwarded, so the App does not hand it out a second time."""
    copy = events.Key(event.key, event.character)
    target._forward_event(copy)
    return copy


class KeysInOrder:
    """The App's side: keys on their way to a widget that has lost the focus go on to the field focused now, and
    keys typed meanwhile wait behind them.

    A character that comes back up to the App was taken by no text field on its way; when the widget focused
    now (or, with nothing focused, the screen) would take it, the focus moved while it was on its way, and it is
    sent there. Each key is sent on once: a target that lets it come back up does not get it again. Keys go
    through each widget's queue in order, so when the last key handed out is done, every one before it is."""

    def __init__(self, app: App, hand_out: Callable[[events.Key], Awaitable[None]]) -> None:
        self._app, self._hand_out = app, hand_out
        self._last: KeyHandled | None = None  # follows the last key handed out, until it comes back
        self._last_to: Widget | None = None
        self._held: deque[events.Key] = deque()
        self._timer: Timer | None = None
        self._sent: weakref.WeakSet[events.Key] = weakref.WeakSet()

    async def arrived(self, event: events.Key) -> None:
        """A new key from the terminal: handed out now, or after the keys it must follow."""
        self._held.append(event)
        await self._release()

    async def handled(self, message: KeyHandled) -> None:
        if message is self._last:
            self._last = None
            await self._release()

    def came_back(self, event: events.Key) -> bool:
        """True when the key was sent on to the field that takes it; the App then does nothing else with it."""
        if event in self._sent or event.character is None:
            return False
        target = self._target()
        if not target.check_consume_key(event.key, event.character):
            return False
        event.stop()
        event.prevent_default()
        self._sent.add(send_on(target, event))
        return True

    def _target(self) -> Widget:
        return self._app.focused or self._app.screen

    def _must_wait(self) -> bool:
        """Keys handed to another widget before the focus moved are still on their way. (One handed to a screen
        that has closed since will not come back: that screen dropped its queue.)"""
        if self._last is None or self._last_to is None or self._target() is self._last_to:
            return False
        try:
            return self._last_to.screen in self._app.screen_stack
        except NoScreen:
            return False

    async def _release(self, waited_long: bool = False) -> None:
        """Hand out the waiting keys, in the order they were typed, up to one that must wait."""
        if waited_long:
            self._last, self._timer = None, None
        while self._held:
            if self._must_wait():
                if self._timer is None:
                    self._timer = self._app.set_timer(HOLD_SECONDS, partial(self._release, True))
                return
            key = self._held.popleft()
            await self._hand_out(key)
            self._last_to, self._last = self._target(), KeyHandled()
            self._last_to.post_message(self._last)
        if self._timer is not None:
            self._timer.stop()
            self._timer = None


class TypedBeforeFocus:
    """For a screen pushed over the app to take one field of text: the keys typed right after the one that opened
    it come to the screen itself, before its field has focus, and go on to the field."""

    focused: Widget | None

    def typing_field(self) -> Widget:
        raise NotImplementedError

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """Every character is the field's, also one typed before it had focus."""
        return character is not None and character.isprintable()

    def on_key(self, event: events.Key) -> None:
        field = self.typing_field()
        if self.focused is not field and event.is_printable:
            type_into(field, event)
