"""The settings Heroku runs: the shared ones, made ready for production."""

from .base import *  # noqa: F403

import os

DEBUG = False
ALLOWED_HOSTS = ["*"]  # temporary
MIDDLEWARE += ["csp.middleware.CSPMiddleware"]  # noqa: F405
if os.environ.get("USE_S3"):
    STORAGES = {"default": {"BACKEND": "storages.backends.s3.S3Storage"}}
SECURE_SSL_REDIRECT = True
