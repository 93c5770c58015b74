"""Writes: directives and their tasks, owners' progress reports, the directive owner's acceptance
or return, reminders before due and escalation of overdue tasks. One service per action: its own
permission check, audit entry and notification."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import SYSTEM, Actor, person
from accounts.models import User
from accounts.notifications import notify_role_holders
from core import audit, links, outbox, transitions
from core.models import AuditEntry, StoredFile
from core.uploads import store_upload
from steering import conf, deadlines
from steering.models import TASK_TRANSITIONS, Directive, DirectiveTask, TaskAction, TaskReport, TaskState
from steering.permissions import DIRECTIVE_ROLES, REPORTER_ROLES, can_accept, can_issue, reporting_unit
from units.models import CommitteeMember, Unit
from units.structure import current_unit, lineage, require_in_force


def _task_link(task: DirectiveTask) -> str:
    return links.absolute_url("steering:task", task.pk)


@transaction.atomic
def create_directive(
    *,
    by: Actor,
    unit: Unit,
    kind: str,
    number: str,
    issued_on: dt.date,
    issuer: str,
    title: str,
    file: IO[bytes] | None = None,
    file_name: str = "",
) -> Directive:
    """Record a directive of `unit`'s steering committee (the unit in force on its date)."""
    if by is not SYSTEM and not can_issue(by, unit):
        raise PermissionDenied(_("Chỉ Ban Chỉ đạo và cơ quan thường trực của đơn vị được ban hành văn bản chỉ đạo."))
    require_in_force(unit, issued_on)
    if not number.strip() or not title.strip():
        raise ValidationError(_("Văn bản chỉ đạo cần có số, ký hiệu và trích yếu."))
    stored = store_upload(file, name=file_name, by=by) if file is not None else None
    directive = Directive.objects.create(
        unit=unit,
        kind=kind,
        number=number.strip(),
        issued_on=issued_on,
        issuer=issuer.strip(),
        title=title.strip(),
        file=stored,
        created_by=person(by),
    )
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=directive, unit_path=unit.path)
    return directive


@transaction.atomic
def add_task(
    *,
    by: Actor,
    directive: Directive,
    number: int,
    title: str,
    deadline_text: str,
    owners: Sequence[Unit] = (),
    owner_agencies: str = "",
    follower: CommitteeMember | None = None,
    expected_output: str = "",
    body: str = "",
) -> DirectiveTask:
    """Add a task to a directive: its owners (units in force on the directive's date, or agencies
    named in words), the member following it, its deadline as written (resolved to a date)."""
    if by is not SYSTEM and not can_issue(by, directive.unit):
        raise PermissionDenied(_("Chỉ Ban Chỉ đạo và cơ quan thường trực của đơn vị được giao nhiệm vụ."))
    if not owners and not owner_agencies.strip():
        raise ValidationError(_("Nhiệm vụ cần có ít nhất một đơn vị hoặc cơ quan chủ trì."))
    for owner in owners:
        require_in_force(owner, directive.issued_on)
        if not owner.path.startswith(directive.unit.path):
            raise ValidationError(_("%(unit)s không thuộc phạm vi của văn bản chỉ đạo.") % {"unit": owner.name})
    due_on = deadlines.resolve(deadline_text)
    if due_on < directive.issued_on:
        raise ValidationError(_("Thời hạn của nhiệm vụ không thể trước ngày ban hành văn bản."))
    if DirectiveTask.objects.filter(directive=directive, number=number).exists():
        raise ValidationError(_("Văn bản đã có nhiệm vụ số %(n)s.") % {"n": number})
    task = DirectiveTask.objects.create(
        directive=directive,
        number=number,
        title=title.strip(),
        body=body.strip(),
        owner_agencies=owner_agencies.strip(),
        follower=follower,
        deadline_text=deadline_text.strip(),
        due_on=due_on,
        expected_output=expected_output.strip(),
    )
    task.owners.set(owners)
    after = {**audit.snapshot(task), "owners": sorted(o.pk for o in owners)}
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=task, after=after, unit_path=directive.unit.path)
    for owner in owners:
        notify_role_holders(
            unit=owner,
            roles=REPORTER_ROLES,
            subject=_("Nhiệm vụ mới: %(title)s") % {"title": task.title[:150]},
            body=_("%(directive)s giao nhiệm vụ “%(title)s”, hạn %(due)s.")
            % {"directive": directive, "title": task.title, "due": f"{due_on:%d/%m/%Y}"},
            link=_task_link(task),
            dedupe=f"steering-task-assigned:{task.pk}:{owner.pk}",
        )
    return task


def _step(
    task: DirectiveTask, *, by: Actor, action: str, unit: Unit, text: str, percent: int | None, document: StoredFile | None
) -> TaskReport:
    """Move `task` by `action` (locked), record the step and the audit entry."""
    locked = DirectiveTask.objects.select_for_update().get(pk=task.pk)
    before = audit.snapshot(locked)
    locked.state = transitions.move(
        TASK_TRANSITIONS,
        locked.state,
        action,
        refusal=_("Nhiệm vụ đang ở trạng thái “%(state)s”: không thể %(action)s.")
        % {"state": locked.get_state_display(), "action": str(TaskAction(action).label).lower()},
    )
    if percent is not None:
        locked.percent = percent
    if action == TaskAction.ACCEPT:
        locked.percent = 100
        locked.completed_on = timezone.localdate()
    locked.save()
    report = TaskReport.objects.create(task=locked, action=action, unit=unit, text=text, percent=percent, document=document, by=person(by))
    audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=locked, before=before, unit_path=unit.path, reason=text)
    task.refresh_from_db()
    return report


@transaction.atomic
def report_progress(
    *,
    by: User,
    task: DirectiveTask,
    text: str,
    percent: int,
    complete: bool = False,
    document: IO[bytes] | None = None,
    document_name: str = "",
) -> TaskReport:
    """An owner reports progress (text, percentage, a document); `complete` asks the directive's
    owner to accept the task as done (the percentage is then 100)."""
    unit = reporting_unit(by, task)
    if unit is None:
        raise PermissionDenied(_("Chỉ đơn vị chủ trì nhiệm vụ được báo cáo tiến độ."))
    if not text.strip():
        raise ValidationError(_("Hãy ghi nội dung báo cáo."))
    if not 0 <= percent <= 100:
        raise ValidationError(_("Tiến độ phải từ 0 đến 100%."))
    stored = store_upload(document, name=document_name, by=by) if document is not None else None
    action = TaskAction.SUBMIT if complete else TaskAction.REPORT
    report = _step(task, by=by, action=action, unit=unit, text=text.strip(), percent=100 if complete else percent, document=stored)
    if complete:
        notify_role_holders(
            unit=task.directive.unit,
            roles=DIRECTIVE_ROLES,
            subject=_("Đề nghị công nhận hoàn thành: %(title)s") % {"title": task.title[:150]},
            body=_("%(unit)s báo cáo hoàn thành nhiệm vụ “%(title)s”.") % {"unit": unit.name, "title": task.title},
            link=_task_link(task),
            dedupe=f"steering-submitted:{report.pk}",
        )
    return report


def _decide(*, by: User, task: DirectiveTask, action: str, text: str) -> TaskReport:
    if not can_accept(by, task):
        raise PermissionDenied(_("Chỉ Ban Chỉ đạo ban hành văn bản được công nhận hoặc trả lại nhiệm vụ."))
    report = _step(task, by=by, action=action, unit=task.directive.unit, text=text, percent=None, document=None)
    for owner in task.owners.all():
        notify_role_holders(
            unit=owner,
            roles=REPORTER_ROLES,
            subject=(
                _("Nhiệm vụ được công nhận hoàn thành: %(title)s") if action == TaskAction.ACCEPT else _("Nhiệm vụ bị trả lại: %(title)s")
            )
            % {"title": task.title[:150]},
            body=text or _("Nhiệm vụ “%(title)s” đã được công nhận hoàn thành.") % {"title": task.title},
            link=_task_link(task),
            dedupe=f"steering-decided:{report.pk}:{owner.pk}",
        )
    return report


@transaction.atomic
def accept_task(*, by: User, task: DirectiveTask, text: str = "") -> TaskReport:
    """The directive's owner accepts the task as done."""
    return _decide(by=by, task=task, action=TaskAction.ACCEPT, text=text.strip())


@transaction.atomic
def return_task(*, by: User, task: DirectiveTask, reason: str) -> TaskReport:
    """The directive's owner returns the task to its owners, saying why."""
    if not reason.strip():
        raise ValidationError(_("Hãy ghi lý do trả lại để đơn vị chủ trì biết cần làm gì thêm."))
    return _decide(by=by, task=task, action=TaskAction.RETURN, text=reason.strip())


def _followers(task: DirectiveTask, today: dt.date) -> list[CommitteeMember]:
    """The member following the task and the members following its owners' localities (the owner,
    its successor or the units it succeeded), serving today."""
    units: set[int] = set()
    for owner in task.owners.all():
        units.update(u.pk for u in lineage(owner))
        successor = current_unit(owner, today)
        if successor is not None:
            units.add(successor.pk)
    members = list(CommitteeMember.objects.filter(followed_units__in=units).select_related("user").distinct()) if units else []
    if task.follower is not None and task.follower not in members:
        members.append(task.follower)
    return [m for m in members if m.until is None or m.until >= today]


def _member_email(member: CommitteeMember) -> str:
    return member.email or (member.user.email if member.user is not None else "")


def _require_system(by: Actor) -> None:
    if by is not SYSTEM:
        raise PermissionDenied(_("Chỉ hệ thống chạy việc nhắc hạn và đôn đốc."))


@transaction.atomic
def remind_due_tasks(*, by: Actor, today: dt.date | None = None) -> int:
    """The daily job: remind the owners of each open task due within REMINDER_DAYS (once per due date)."""
    _require_system(by)
    today = today or timezone.localdate()
    tasks = DirectiveTask.objects.exclude(state=TaskState.DONE).filter(
        due_on__gte=today, due_on__lte=today + dt.timedelta(days=conf.REMINDER_DAYS)
    )
    count = 0
    for task in tasks.select_related("directive").prefetch_related("owners"):
        for owner in _owners_in_force(task.owners.all(), today):
            notify_role_holders(
                unit=owner,
                roles=REPORTER_ROLES,
                subject=_("Sắp đến hạn: %(title)s") % {"title": task.title[:150]},
                body=_("Nhiệm vụ “%(title)s” (%(directive)s) đến hạn ngày %(due)s, tiến độ báo cáo %(percent)s%%.")
                % {"title": task.title, "directive": task.directive, "due": f"{task.due_on:%d/%m/%Y}", "percent": task.percent},
                link=_task_link(task),
                dedupe=f"steering-remind:{task.pk}:{task.due_on:%Y%m%d}:{owner.pk}",
            )
        count += 1
    return count


def _owners_in_force(owners: Iterable[Unit], today: dt.date) -> list[Unit]:
    """Each owner, or its successor when it no longer exists (its officials now sit there)."""
    result: list[Unit] = []
    for owner in owners:
        unit = current_unit(owner, today) or owner
        if unit not in result:
            result.append(unit)
    return result


@transaction.atomic
def escalate_overdue_tasks(*, by: Actor, today: dt.date | None = None) -> int:
    """The daily job: for each task overdue by ESCALATION_DAYS or more, urge the committee members
    following its owners' localities (and the member following the task), once a week."""
    _require_system(by)
    today = today or timezone.localdate()
    year, week, _weekday = today.isocalendar()
    tasks = DirectiveTask.objects.exclude(state=TaskState.DONE).filter(due_on__lte=today - dt.timedelta(days=conf.ESCALATION_DAYS))
    count = 0
    for task in tasks.select_related("directive", "follower", "follower__user").prefetch_related("owners"):
        owners = ", ".join([o.name for o in task.owners.all()] + ([task.owner_agencies] if task.owner_agencies else []))
        for member in _followers(task, today):
            outbox.queue_message(
                recipient=_member_email(member),
                subject=_("Nhiệm vụ quá hạn cần đôn đốc: %(title)s") % {"title": task.title[:150]},
                body=_(
                    "Nhiệm vụ “%(title)s” (%(directive)s) của %(owners)s quá hạn từ %(due)s (%(days)s ngày), tiến độ báo cáo %(percent)s%%."
                )
                % {
                    "title": task.title,
                    "directive": task.directive,
                    "owners": owners,
                    "due": f"{task.due_on:%d/%m/%Y}",
                    "days": (today - task.due_on).days,
                    "percent": task.percent,
                },
                link=_task_link(task),
                dedupe_key=f"steering-escalate:{task.pk}:{member.pk}:{year}-{week}",
            )
        count += 1
    return count
