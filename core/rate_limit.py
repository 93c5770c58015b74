"""A fixed-window request counter in Django's cache (in-process memory in embedded mode, Redis in
production), for limits that must hold whatever the request says about itself, e.g. password reset
requests per client address and per e-mail address."""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def allow(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one hit for `key` in `scope`; False once more than `limit` hits fell in the window of
    `window` seconds. The key is stored hashed: the cache never holds an address in clear."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"rl:{scope}:{digest}"
    cache.add(cache_key, 0, timeout=window)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window)
        count = 1
    return count <= limit
