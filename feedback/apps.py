from typing import Any

from django.apps import AppConfig


def on_case_written(sender: object, instance: Any, raw: bool = False, **kwargs: object) -> None:
    """A case was saved or deleted: its day's tallies are stale; refresh them after the commit (and a
    dashboard read before that folds the stale days in first: queries.bring_tallies_up_to_date)."""
    from core import jobs
    from feedback import summaries, tasks

    if raw or not summaries.mark_stale(instance):
        return
    jobs.enqueue_once(tasks.refresh_tallies)


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Phản ánh, kiến nghị"

    def ready(self) -> None:
        from feedback import queries, summaries

        summaries.connect(on_case_written)
        queries.TALLY_REFRESHERS[:] = [summaries.refresh]
