"""core.ratelimit: a token bucket per client in the database, so every worker shares it (no Redis
needed), with a burst and a sustained rate, a wait to report, and no overshoot under concurrency."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.core.cache import cache
from django.db import DatabaseError, connection

from core import ratelimit
from core.models import RateBucket

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 3, 3, 2, 0, tzinfo=dt.UTC)
RATE = ratelimit.Rate("test", burst=3, per_hour=6)  # one token back every 10 minutes


def test_burst_then_refused_with_the_wait_until_the_next_token():
    with time_machine.travel(START, tick=False):
        assert [ratelimit.take(RATE, "k") for _i in range(3)] == [0, 0, 0]
        assert ratelimit.take(RATE, "k") == 600
        assert ratelimit.retry_after(RATE, "k") == 600


def test_tokens_come_back_at_the_sustained_rate_up_to_the_burst():
    with time_machine.travel(START, tick=False) as t:
        for _i in range(3):
            ratelimit.take(RATE, "k")
        t.shift(dt.timedelta(minutes=10))
        assert ratelimit.take(RATE, "k") == 0
        assert ratelimit.take(RATE, "k") > 0
        t.shift(dt.timedelta(days=1))
        assert [ratelimit.take(RATE, "k") for _i in range(4)][:3] == [0, 0, 0]


def test_clients_and_scopes_have_their_own_buckets():
    for _i in range(3):
        ratelimit.take(RATE, "a")
    assert ratelimit.take(RATE, "a") > 0
    assert ratelimit.take(RATE, "b") == 0
    assert ratelimit.take(ratelimit.Rate("other", burst=3, per_hour=6), "a") == 0


def test_a_token_given_back_can_be_taken_again_but_never_beyond_the_burst():
    with time_machine.travel(START, tick=False):
        for _i in range(3):
            ratelimit.take(RATE, "k")
        ratelimit.give_back(RATE, "k")
        assert ratelimit.take(RATE, "k") == 0
        for _i in range(10):
            ratelimit.give_back(RATE, "k")
        assert RateBucket.objects.get(key="k").tokens == 3


def test_the_count_lives_in_the_database_not_in_a_workers_memory():
    for _i in range(3):
        ratelimit.take(RATE, "k")
    cache.clear()  # another worker, or a restarted one, has an empty local cache
    assert ratelimit.take(RATE, "k") > 0


def test_idle_buckets_are_purged():
    with time_machine.travel(START, tick=False) as t:
        ratelimit.take(RATE, "old")
        t.shift(dt.timedelta(days=3))
        ratelimit.take(RATE, "new")
        assert ratelimit.purge_idle() == 1
    assert list(RateBucket.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_never_spend_more_than_the_burst():
    rate = ratelimit.Rate("race", burst=5, per_hour=0.001)
    workers = 12
    barrier = threading.Barrier(workers)
    outcomes: list[str] = []

    def hit() -> None:
        barrier.wait()
        try:
            outcomes.append("taken" if ratelimit.take(rate, "nat") == 0 else "refused")
        except DatabaseError as exc:  # a locked SQLite table refuses, it never counts twice
            outcomes.append(f"error:{type(exc).__name__}")
        finally:
            connection.close()

    threads = [threading.Thread(target=hit) for _i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    taken = outcomes.count("taken")
    assert 1 <= taken <= 5, outcomes
    # No lost update: what is left plus what was taken is exactly the burst.
    assert round(RateBucket.objects.get(scope="race").tokens + taken, 2) == 5, outcomes
