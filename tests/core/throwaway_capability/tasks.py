from celery import shared_task


@shared_task(name="tests.throwaway.ping")
def ping() -> str:
    return "pong"
