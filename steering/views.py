"""Staff pages: the directives a user sees with their tasks and the overdue tasks per owner; a task
with its reports, the owner's report form and the directive owner's decision."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.actors import AuthenticatedHttpRequest
from accounts.permissions import staff_view
from accounts.scope import role_roots
from core import transitions
from steering import queries, services
from steering.forms import DecisionForm, ProgressForm
from steering.member_queries import can_record_for, members_following_task
from steering.models import TASK_TRANSITIONS, TaskAction, TaskReport, TaskState
from steering.permissions import DIRECTIVE_ROLES, access_task, can_accept, reporting_unit


@staff_view
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    directives = queries.visible_directives(request.user)
    tasks = queries.tasks_of(directives)
    only_overdue = request.GET.get("qua_han") == "1"
    listed = [t for t in tasks if not only_overdue or t.is_overdue(today)]
    return render(
        request,
        "steering/index.html",
        {
            "directives": directives,
            "tasks": listed,
            "today": today,
            "only_overdue": only_overdue,
            "may_issue": bool(role_roots(request.user, DIRECTIVE_ROLES)),
            "overdue_by_owner": queries.overdue_by_owner(tasks, today),
        },
    )


@staff_view
def task(request: AuthenticatedHttpRequest, task_id: int) -> HttpResponse:
    item = access_task(actor=request.user, task_id=task_id)
    allowed = transitions.allowed_actions(TASK_TRANSITIONS, item.state)
    reporter = reporting_unit(request.user, item)
    context = {
        "task": item,
        "owners": item.owners.all(),
        "reports": item.reports.select_related("unit", "by", "document"),
        "today": timezone.localdate(),
        "reporter": reporter,
        "progress_form": ProgressForm(initial={"percent": item.percent}) if reporter and TaskAction.REPORT in allowed else None,
        "decision_form": DecisionForm() if TaskAction.ACCEPT in allowed and can_accept(request.user, item) else None,
        # A member following the task (or the secretariat recording for one) may log an urging.
        "can_urge": item.state != TaskState.DONE
        and any(
            can_record_for(request.user, m) for m in members_following_task(item.follower, list(item.owners.all()), timezone.localdate())
        ),
    }
    return render(request, "steering/task.html", context)


@staff_view
@require_POST
def report(request: AuthenticatedHttpRequest, task_id: int) -> HttpResponse:
    item = access_task(actor=request.user, task_id=task_id, write=True)
    form = ProgressForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("steering:task", item.pk)
    upload = form.cleaned_data["document"]
    try:
        services.report_progress(
            by=request.user,
            task=item,
            text=form.cleaned_data["text"],
            percent=form.cleaned_data["percent"],
            complete=form.cleaned_data["complete"],
            document=upload,
            document_name=upload.name if upload else "",
        )
    except (ValidationError, PermissionDenied) as exc:
        for message in getattr(exc, "messages", [str(exc)]):
            messages.error(request, message)
    else:
        messages.success(request, _("Đã ghi báo cáo tiến độ."))
    return redirect("steering:task", item.pk)


@staff_view
@require_POST
def decide(request: AuthenticatedHttpRequest, task_id: int) -> HttpResponse:
    item = access_task(actor=request.user, task_id=task_id, write=True)
    form = DecisionForm(request.POST)
    text = form.cleaned_data["text"] if form.is_valid() else ""
    try:
        if request.POST.get("action") == TaskAction.ACCEPT:
            services.accept_task(by=request.user, task=item, text=text)
            messages.success(request, _("Đã công nhận nhiệm vụ hoàn thành."))
        elif request.POST.get("action") == TaskAction.RETURN:
            services.return_task(by=request.user, task=item, reason=text)
            messages.success(request, _("Đã trả lại nhiệm vụ cho đơn vị chủ trì."))
        else:
            messages.error(request, _("Thao tác không hợp lệ."))
    except (ValidationError, PermissionDenied) as exc:
        for message in getattr(exc, "messages", [str(exc)]):
            messages.error(request, message)
    return redirect("steering:task", item.pk)


@staff_view
def document(request: AuthenticatedHttpRequest, task_id: int, report_id: int) -> FileResponse:
    """A report's document, for whoever sees the task."""
    item = access_task(actor=request.user, task_id=task_id)
    report = TaskReport.objects.select_related("document").filter(task=item, pk=report_id, document__isnull=False).first()
    if report is None or report.document is None:
        raise Http404
    try:
        handle = report.document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, content_type=report.document.content_type, as_attachment=False, filename=report.document.original_name)
