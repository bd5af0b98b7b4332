"""What the main screen does with its panes: loading and analysis, reading, searching; one typed class each."""
