"""The committee's work in the demo: a quarterly regime with committees below it, the footnote's
missing party committees, an inspection with findings and recommendations as tasks; once."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone

from steering import work_demo, work_queries
from steering.models import InspectionRecommendation, InspectionVisit, Meeting, MeetingRegime, MeetingState
from tests.steering.committee_builders import committee_with_members
from units.models import Unit, UnitKind


def test_demo_meetings_with_gaps_missing_party_committees_and_an_inspection(bac_giang: Unit, new_province: Unit, new_commune: Unit) -> None:
    committee_with_members(new_province, "Ban Chỉ đạo thực hiện QCDC tỉnh Bắc Ninh", members=4)
    communes = [new_commune]
    for i in range(5):
        commune = Unit(
            code=f"9{i:04d}", edition="2025", name=f"Xã Mẫu {i}", kind=UnitKind.COMMUNE, parent=new_province, valid_from=dt.date(2025, 7, 1)
        )
        commune.save()
        communes.append(commune)
    for commune in communes:
        committee_with_members(commune, f"Ban Chỉ đạo QCDC {commune.name}", members=3)
    work_demo.load(stdout=io.StringIO())
    work_demo.load(stdout=io.StringIO())  # idempotent
    assert MeetingRegime.objects.get(unit=new_province).period == "quarter"
    year = work_demo.last_quarters(timezone.localdate(), 4)[0][0]  # the demo's year: the last four whole quarters
    results = work_queries.compliance(work_queries.committees_in(new_province), start=year, end=timezone.localdate())
    province = next(r for r in results if r.committee.unit == new_province)
    assert province.due and not province.missed
    assert sum(1 for r in results if r.missed) >= 3 and any(r.held_total == 0 for r in results)
    assert Meeting.objects.filter(state=MeetingState.CANCELLED).count() == 1
    assert Meeting.objects.filter(state=MeetingState.SCHEDULED, scheduled_on__gt=timezone.localdate()).count() == 1
    concluded = Meeting.objects.get(directive__isnull=False)
    assert concluded.conclusions.filter(task__isnull=False).count() == 1
    missing = work_queries.not_yet_disseminated(
        unit=bac_giang, level=UnitKind.DISTRICT, start=dt.date(2023, 7, 1), end=dt.date(2024, 12, 31)
    )
    names = {o.name for o in missing.organisations}
    assert "Đảng ủy Khối Doanh nghiệp tỉnh" in names and "Đảng ủy Các cơ quan tỉnh" not in names
    assert len(missing.units) == 2 and sum(1 for n in names if n.startswith(("Huyện ủy", "Thành ủy"))) == 2
    before_notice = work_queries.not_yet_disseminated(
        unit=bac_giang, level=UnitKind.DISTRICT, start=dt.date(2023, 7, 1), end=dt.date(2024, 1, 31)
    )
    assert "Đảng ủy Các cơ quan tỉnh" in {o.name for o in before_notice.organisations}  # footnote 1, as of the notice
    communes = work_queries.not_yet_disseminated(
        unit=bac_giang, level=UnitKind.COMMUNE, start=dt.date(2023, 7, 1), end=dt.date(2024, 12, 31)
    )
    assert 0 < len(communes.units) < communes.units_total / 5
    # The new province sees the old province's list (lineage); a new commune has held a session when a predecessor did.
    assert (
        new_commune
        not in work_queries.not_yet_disseminated(
            unit=new_province, level=UnitKind.COMMUNE, start=dt.date(2023, 7, 1), end=timezone.localdate()
        ).units
    )
    assert "Đảng ủy Khối Doanh nghiệp tỉnh" in {o.name for o in work_queries.organisations_in(new_province)}
    visit = InspectionVisit.objects.get(state="done")
    assert visit.findings.count() == 3 and InspectionRecommendation.objects.filter(visit=visit, task__isnull=False).count() == 2
