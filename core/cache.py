"""The Redis cache, cleared by its own keys only.

Django's RedisCache.clear() empties the whole Redis database (FLUSHDB). In production the same Redis
is often the Celery broker too (CELERY_BROKER_URL defaults to REDIS_URL), and several sites or test
processes may share it under their own CACHE_KEY_PREFIX: a clear would drop the queued jobs and the
others' keys. This one deletes only the keys this cache made (its prefix, then ":")."""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache


class PrefixedRedisCache(RedisCache):
    def clear(self) -> None:
        client = self._cache.get_client(None, write=True)
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
