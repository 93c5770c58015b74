"""The province's check: the sample drawn when a district forwards, the province team's own
appraisal of a file, the rule that no file of a district is decided while its sample is unchecked,
and the citizens' figures kept for the appraisal-quality page (read by a nightly job)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.notifications import notify_role_holders
from accounts.permissions import PROVINCE_ADMIN_ROLES
from certification import conf
from certification import permissions as perms
from certification.models import (
    ApprovalChain,
    Campaign,
    CitizenFigure,
    DistrictForward,
    FileState,
    Level,
    ProvinceCheck,
    ProvinceSample,
    Registration,
)
from certification.sampling import Candidate, band_of, draw, new_seed
from certification.scoring import evaluate, metric_period
from certification.services._shared import CREATE, UPDATE, _require, file_link
from certification.services.appraisal import _level_scores
from core import audit, metrics
from core.audit import snapshot
from core.links import absolute_url
from units.models import Unit, UnitKind


def _bands(campaign: Campaign) -> list[tuple[int, Decimal]]:
    return [(b.stars, b.min_total) for b in campaign.criteria_set.star_bands.all()]


def draw_sample(*, forward: DistrictForward, files: Sequence[Registration], by: User, seed: int | None = None) -> ProvinceSample | None:
    """Draw the province's check among `files` (those of the forward not drawn before) and record,
    for each, whether it was drawn. Called inside forward_district's transaction."""
    seen = set(ProvinceCheck.objects.filter(registration__in=files).values_list("registration_id", flat=True))
    files = [r for r in files if r.pk not in seen]
    if not files:
        return None
    campaign = forward.campaign
    bands = _bands(campaign)
    strata = {r.pk: band_of(r.district_total, bands) for r in files}
    result = draw(
        [Candidate(pk, stratum) for pk, stratum in strata.items()],
        share=conf.SAMPLE_SHARE,
        minimum=max(1, conf.SAMPLE_MIN),
        seed=new_seed() if seed is None else seed,
    )
    sample = ProvinceSample.objects.create(
        campaign=campaign,
        district=forward.district,
        forward=forward,
        seed=result.seed,
        share=Decimal(str(result.share)).quantize(Decimal("0.001")),
        minimum=result.minimum,
        population=len(files),
        allocation={k: list(v) for k, v in result.allocation.items()},
        drawn=list(result.drawn),
        drawn_by=by,
    )
    drawn = set(result.drawn)
    ProvinceCheck.objects.bulk_create(
        ProvinceCheck(sample=sample, registration=r, stratum=strata[r.pk], drawn=r.pk in drawn, district_total=r.district_total)
        for r in files
    )
    audit.record(actor=by, action=CREATE, instance=sample, unit_path=forward.district.path)
    names = ", ".join(str(r.unit) for r in files if r.pk in drawn)
    notify_role_holders(
        unit=campaign.province,
        roles=PROVINCE_ADMIN_ROLES,
        subject=_("Mẫu kiểm tra: %(n)s hồ sơ của %(district)s cần tỉnh thẩm định lại") % {"n": len(drawn), "district": forward.district},
        body=_("Hồ sơ được chọn: %(names)s. Chưa thể quyết định hồ sơ nào của huyện này cho đến khi tỉnh thẩm định lại xong các hồ sơ mẫu.")
        % {"names": names},
        dedupe=f"cert-sample:{sample.pk}",
        link=absolute_url("certification:quality", campaign.pk),
    )
    return sample


def decision_block(registration: Registration) -> list[str]:
    """Why the province may not decide this file yet: it was never put through the check, or a
    sampled file of its district still awaits the province's own appraisal. Empty when it may."""
    campaign = registration.campaign
    if not campaign.has_district_step or registration.district_id is None:
        return []  # without districts the province appraises every file itself
    if not ProvinceCheck.objects.filter(registration=registration).exists():
        return [_("Hồ sơ chưa qua bước chọn mẫu kiểm tra của tỉnh (huyện chưa gửi danh sách lên tỉnh).")]
    pending = list(
        ProvinceCheck.objects.filter(
            registration__campaign=campaign, registration__district_id=registration.district_id, drawn=True, checked_at__isnull=True
        )
        .select_related("registration__unit")
        .order_by("registration__unit__name")
    )
    if not pending:
        return []
    return [
        _(
            "Tỉnh chưa thẩm định lại xong %(n)s hồ sơ mẫu kiểm tra của %(district)s (%(units)s): "
            "chưa thể quyết định hồ sơ nào của huyện này."
        )
        % {"n": len(pending), "district": registration.district, "units": ", ".join(str(c.registration.unit) for c in pending[:10])}
    ]


def complete_province_check(*, registration: Registration, by: User) -> ProvinceCheck:
    """The province team leader records that the team appraised the file itself: every criterion
    scored at the province's level. The province's own total is kept for the quality statistics."""
    _require(perms.can_lead(by, registration, Level.PROVINCE))
    registration.refresh_from_db()
    if registration.state != FileState.AT_PROVINCE:
        raise ValidationError(_("Hồ sơ không ở bước thẩm định của cấp tỉnh."))
    check = ProvinceCheck.objects.filter(registration=registration).first()
    if check is None:
        raise ValidationError(_("Hồ sơ chưa qua bước chọn mẫu kiểm tra của tỉnh (huyện chưa gửi danh sách lên tỉnh)."))
    scores = _level_scores(registration, Level.PROVINCE)
    criteria = list(registration.campaign.criteria_set.criteria.all())
    missing = [c.code for c in criteria if c.pk not in scores]
    if missing:
        raise ValidationError(_("Tổ thẩm định của tỉnh chưa chấm các tiêu chí: %(codes)s.") % {"codes": ", ".join(missing)})
    with transaction.atomic():
        check = ProvinceCheck.objects.select_for_update().get(pk=check.pk)
        before = snapshot(check)
        check.province_total = evaluate(registration.campaign.criteria_set, scores).total
        check.checked_at = timezone.now()
        check.checked_by = by
        check.save()
        audit.record(actor=by, action=UPDATE, instance=check, before=before, unit_path=registration.unit.path, reason="province_check")
        district = registration.district
        left = ProvinceCheck.objects.filter(
            registration__campaign=registration.campaign, registration__district=district, drawn=True, checked_at__isnull=True
        ).count()
        if check.drawn and left == 0 and district is not None:
            notify_role_holders(
                unit=registration.campaign.province,
                roles=PROVINCE_ADMIN_ROLES,
                subject=_("Đã thẩm định lại xong mẫu kiểm tra của %(district)s") % {"district": district},
                body=_("Có thể quyết định các hồ sơ của huyện này."),
                dedupe=f"cert-sample-done:{check.sample_id}:{check.pk}",
                link=file_link(registration),
            )
    return check


def refresh_citizen_figures(*, campaign: Campaign, district: Unit | None = None) -> int:
    """Re-read the citizens' figures (conf.FLAG_METRICS through core.metrics) of every commune of
    the district (or the province) over the campaign's period, for the appraisal-quality page;
    returns the number of communes. Reading them takes seconds per commune, so this runs as the
    nightly job, never inside a page's request."""
    keys = [k for k in conf.FLAG_METRICS if metrics.get(k) is not None]
    start, end = metric_period(campaign)
    now = timezone.now()
    units = list(Unit.objects.filter(kind=UnitKind.COMMUNE, path__startswith=(district or campaign.province).path).order_by("path"))
    rows = []
    for unit in units:
        for key in keys:
            value = metrics.compute(key, unit=unit, start=start, end=end)
            rows.append(
                CitizenFigure(
                    campaign=campaign,
                    unit=unit,
                    key=key,
                    value=value.value,
                    measure=str(value.unit)[:20],
                    basis=max(0, int(value.basis or 0)),
                    source=str(value.source)[:300],
                    computed_at=now,
                )
            )
    with transaction.atomic():
        CitizenFigure.objects.filter(campaign=campaign, unit__in=units).delete()
        CitizenFigure.objects.bulk_create(rows, batch_size=1000)
    return len(units)


def refresh_figures_of_open_campaigns() -> int:
    """The nightly job: the citizens' figures of every campaign with a district stage that still
    has files forwarded to the province or waiting there (returns the number of campaigns)."""
    open_states = (FileState.SUBMITTED, FileState.DISTRICT_PROPOSED, FileState.AT_PROVINCE, FileState.RETURNED_TO_DISTRICT)
    campaigns = Campaign.objects.filter(approval_chain=ApprovalChain.COMMUNE_DISTRICT_PROVINCE, registrations__state__in=open_states)
    done = 0
    for campaign in campaigns.distinct().select_related("province"):
        refresh_citizen_figures(campaign=campaign)
        done += 1
    return done
