"""django-heroku-lint: find the Django-on-Heroku deployment traps before you push."""

__version__ = "0.1.0"
