"""A labelled set for story grouping, made from templates with a fixed seed: stories, their rewrites, and
other stories on the same topic (the same people, places and organisations, other events).

Each story is a handful of facts (who, where, what, numbers, a day) told in paragraphs of sentences drawn
from a shared pool of templates, so two stories of one topic share names and phrasing as real coverage does.
Each is printed by several outlets: the original, and rewrites of these kinds:
- `synonyms`: a different headline, and words swapped for synonyms (about a third of those that have one);
- `edited`: sentences dropped and one added;
- `lede`: the lede told another way, a different headline, a few synonyms;
- `shuffled`: the paragraphs in another order, a different headline;
- `reworked`: synonyms, a sentence dropped, paragraphs shuffled, all at once;
- `retold`: the lede told another way, half the synonyms swapped, two sentences dropped and one added, the
  paragraphs shuffled: the loosest rewrite, which often matches its story only through the others.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

TOPICS = [
    {
        "people": ["Сергей Лавров", "Мария Захарова", "Антонио Гутерриш"],
        "orgs": ["МИД России", "ООН", "Совбез ООН"],
        "places": ["Женеве", "Нью-Йорке", "Москве"],
        "thing": "переговоры по Сирии",
    },
    {
        "people": ["Эльвира Набиуллина", "Антон Силуанов", "Алексей Кудрин"],
        "orgs": ["Банк России", "Минфин", "Счетная палата"],
        "places": ["Москве", "Санкт-Петербурге", "Казани"],
        "thing": "ключевая ставка",
    },
    {
        "people": ["Сергей Семак", "Артем Дзюба", "Валерий Карпин"],
        "orgs": ["Зенит", "Спартак", "РФС"],
        "places": ["Санкт-Петербурге", "Москве", "Сочи"],
        "thing": "чемпионат России",
    },
    {
        "people": ["Сергей Собянин", "Марат Хуснуллин", "Петр Бирюков"],
        "orgs": ["мэрия Москвы", "Мосгордума", "Стройкомплекс"],
        "places": ["Москве", "Новой Москве", "Зеленограде"],
        "thing": "строительство метро",
    },
    {
        "people": ["Михаил Мишустин", "Андрей Белоусов", "Максим Решетников"],
        "orgs": ["правительство", "Минэкономразвития", "Росстат"],
        "places": ["Москве", "Сочи", "Нижнем Новгороде"],
        "thing": "национальные проекты",
    },
    {
        "people": ["Владимир Путин", "Дмитрий Песков", "Юрий Ушаков"],
        "orgs": ["Кремль", "Госсовет", "администрация президента"],
        "places": ["Кремле", "Ново-Огарево", "Сочи"],
        "thing": "послание Федеральному собранию",
    },
]

VERBS = ["обсудили", "рассмотрели", "утвердили", "отложили", "одобрили", "раскритиковали", "поддержали"]
OBJECTS = ["бюджет", "новый план", "доклад", "законопроект", "программу", "соглашение", "поправки", "проект решения"]
REASONS = ["нехватки средств", "требований партнеров", "итогов проверки", "позиции экспертов", "просьбы регионов"]
TEMPLATES = [
    "{p1} заявил, что {org} {verb} {obj} на встрече в {place}.",
    "Как сказал {p2}, решение было принято после долгих консультаций.",
    "{org} {verb} {obj} {day}, сообщили в пресс-службе ведомства.",
    "Как отметил {p1}, работа над документом заняла {n1} месяцев.",
    "В обсуждении приняли участие {n2} представителей {org2_gen}.",
    "Ранее {p2} говорил, что {thing} остаются главным приоритетом.",
    "Стоимость программы оценивается в {n3} млрд рублей.",
    "Эксперты связывают это с влиянием {reason}.",
    "{p3} назвал итоги встречи в {place} закономерными.",
    "Следующее заседание по теме «{thing}» намечено на {day2}.",
    "Документ предусматривает {n1} этапов и рассчитан до {year} года.",
    "Источник в {org2_pre} уточнил, что окончательное решение еще не принято.",
    "Аналитики ожидают, что {obj} вступит в силу в {year} году.",
    "{p2} подчеркнул, что {org} будет действовать в интересах граждан.",
    "В прошлом году аналогичная мера обошлась в {n4} млрд рублей.",
    "Против решения выступили {n5} участников встречи.",
    "Представитель {org2_gen} отказался комментировать итоги встречи.",
    "{p1} пообещал вернуться к вопросу через {n5} недель.",
    "Журналистов на встречу в {place} не пустили.",
    "Итоги обсуждения будут опубликованы на сайте {org2_gen}.",
]
LEDES = [
    "{org} {verb} {obj} в {place} {day}.",
    "{p1} объявил, что {obj} {verb_short} после встречи в {place}.",
    "В {place} {day} {org} {verb} {obj}, следует из сообщения ведомства.",
]
HEADLINES = [
    "{org} {verb} {obj}",
    "{p1}: {obj} {verb_short}",
    "В {place} {verb} {obj}",
    "Решение по теме «{thing}» принято",
    "{p2} прокомментировал решение {org2_gen}",
]
DAYS = ["в понедельник", "во вторник", "в среду", "в четверг", "в пятницу", "в субботу"]
DAYS_LATER = ["начало марта", "конец апреля", "середину мая", "июнь", "осень", "декабрь"]
SYNONYMS = {
    "заявил": "сообщил",
    "сообщили": "рассказали",
    "встрече": "совещании",
    "встречи": "совещания",
    "встречу": "совещание",
    "решение": "постановление",
    "документ": "текст",
    "документом": "текстом",
    "отметил": "подчеркнул",
    "подчеркнул": "указал",
    "оценивается": "составляет",
    "связывают": "объясняют",
    "намечено": "запланировано",
    "уточнил": "пояснил",
    "ожидают": "полагают",
    "главным": "основным",
    "принято": "утверждено",
    "назвал": "счел",
    "работа": "подготовка",
    "участники": "делегаты",
    "участников": "делегатов",
    "отказался": "не стал",
    "пообещал": "обещал",
    "итоги": "результаты",
    "итогов": "результатов",
    "будут": "станут",
    "долгих": "длительных",
    "консультаций": "переговоров",
    "говорил": "заявлял",
    "обошлась": "стоила",
}
SYNONYM_SHARES = {"synonyms": 0.35, "reworked": 0.35, "lede": 0.15, "retold": 0.5}
VARIANTS = ("synonyms", "edited", "lede", "shuffled", "reworked", "retold")


@dataclass(frozen=True)
class LabelledText:
    story: str  # which story it tells
    outlet: str
    title: str
    body: str  # paragraphs joined by blank lines

    def text(self) -> str:
        """As an Article's text: the title, then the body."""
        return f"{self.title}\n\n{self.body}"


def _facts(topic: dict, rng: random.Random) -> dict[str, str]:
    people, orgs = rng.sample(topic["people"], 3), rng.sample(topic["orgs"], 2)
    verb = rng.choice(VERBS)
    return {
        "p1": people[0],
        "p2": people[1],
        "p3": people[2],
        "org": orgs[0],
        "org2_gen": orgs[1],
        "org2_pre": orgs[1],
        "verb": verb,
        "verb_short": verb.replace("ли", "ло", 1) if verb.endswith("ли") else verb,
        "obj": rng.choice(OBJECTS),
        "place": rng.choice(topic["places"]),
        "thing": topic["thing"],
        "reason": rng.choice(REASONS),
        "day": rng.choice(DAYS),
        "day2": rng.choice(DAYS_LATER),
        "year": str(rng.randrange(2020, 2031)),
        **{f"n{index}": str(rng.randrange(2, 400)) for index in range(1, 6)},
    }


def _story(topic: dict, rng: random.Random) -> tuple[dict[str, str], str, list[list[str]], list[str]]:
    """The facts, the lede, the paragraphs (lists of sentences) and the sentences left unused."""
    facts = _facts(topic, rng)
    sentences = [template.format(**facts) for template in rng.sample(TEMPLATES, 12)]
    unused = [template.format(**facts) for template in TEMPLATES if template.format(**facts) not in sentences]
    paragraphs = [sentences[at : at + 3] for at in range(0, 12, 3)]
    return facts, rng.choice(LEDES).format(**facts), paragraphs, unused


def _swap_synonyms(text: str, rng: random.Random, share: float) -> str:
    words = text.split(" ")
    for index, word in enumerate(words):
        bare = word.strip(".,:«»")
        if bare in SYNONYMS and rng.random() < share:
            words[index] = word.replace(bare, SYNONYMS[bare])
    return " ".join(words)


def _body(lede: str, paragraphs: list[list[str]]) -> str:
    return "\n\n".join([lede, *(" ".join(sentences) for sentences in paragraphs)])


def _rewrite(kind: str, facts, lede, paragraphs, unused, rng: random.Random) -> tuple[str, str]:
    """(title, body) of one rewrite of a story."""
    title = rng.choice(HEADLINES[1:]).format(**facts)
    paragraphs = [list(sentences) for sentences in paragraphs]
    if kind in ("edited", "reworked", "retold"):
        drops = 1 if kind == "reworked" else 2
        for _ in range(drops):
            paragraph = rng.choice([each for each in paragraphs if len(each) > 1])
            paragraph.remove(rng.choice(paragraph))
    if kind in ("edited", "retold"):
        rng.choice(paragraphs).append(rng.choice(unused))
    if kind in ("lede", "retold"):
        lede = rng.choice([each for each in LEDES if each.format(**facts) != lede]).format(**facts)
    if kind in ("shuffled", "reworked", "retold"):
        rng.shuffle(paragraphs)
    body = _body(lede, paragraphs)
    if kind in SYNONYM_SHARES:
        body = _swap_synonyms(body, rng, SYNONYM_SHARES[kind])
    return title, body


def labelled_set(
    seed: int = 14, stories_per_topic: int = 6, variants: tuple[str, ...] = VARIANTS
) -> list[LabelledText]:
    """Every story of every topic as printed by its outlets: the original and one of each rewrite of `variants`."""
    rng = random.Random(seed)
    texts = []
    for topic_number, topic in enumerate(TOPICS):
        for story_number in range(stories_per_topic):
            story = f"t{topic_number}s{story_number}"
            facts, lede, paragraphs, unused = _story(topic, rng)
            title = HEADLINES[0].format(**facts)
            texts.append(LabelledText(story, "outlet0", title, _body(lede, paragraphs)))
            for number, kind in enumerate(variants, start=1):
                title, body = _rewrite(kind, facts, lede, paragraphs, unused, rng)
                texts.append(LabelledText(story, f"outlet{number}", title, body))
    return texts


def six_reports_each() -> list[LabelledText]:
    """The labelled set with the five rewrites short of `retold`: six outlets (outlet0 … outlet5) a story."""
    return labelled_set(variants=VARIANTS[:5])


def pair_scores(truth: list[str], predicted: list[str]) -> tuple[float, float]:
    """Precision and recall over pairs: a pair is positive when both texts are put in one story."""
    true_pairs = predicted_pairs = both = 0
    for first in range(len(truth)):
        for second in range(first + 1, len(truth)):
            same, said = truth[first] == truth[second], predicted[first] == predicted[second]
            true_pairs += same
            predicted_pairs += said
            both += same and said
    return (both / predicted_pairs if predicted_pairs else 1.0), (both / true_pairs if true_pairs else 1.0)
