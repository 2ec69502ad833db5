"""Local development: `make run`. DEBUG on, emails printed to the console."""

from .base import *  # noqa: F403
from .env import env_bool, local_secret_key

SECRET_KEY = SECRET_KEY or local_secret_key()  # noqa: F405

DEBUG = env_bool("DEBUG", True)
