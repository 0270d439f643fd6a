"""Benchmarks (bench/): production-like (no debug), any DATABASE_URL, throwaway secret."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
