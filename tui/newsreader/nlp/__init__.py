"""Language analysis over `Article.text`: entity and date spans by offset."""
