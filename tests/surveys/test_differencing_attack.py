"""The reviewer's differencing attack, replayed on everything a user can read: every cell published
by the results page (each group filter), the index export and the API (every breakdown and group
filter), for a district officer, a commune officer and the province, plus the metric. For every pair
of published cells of which one contains the other, and for every published cell minus the published
cells inside it, the responses left over must be none, or at least the threshold and not exactly a
suppressed cell: no suppressed cell's count or value can be worked out. Suppressed cells show no
count anywhere."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from collections.abc import Iterable

import pytest

from core import metrics
from surveys import services
from surveys.models import CampaignState, Element, Group, Mode, Question, QuestionKind, Response, Stratum
from units.models import Unit

THRESHOLD = 10
ALL = "all"
# commune -> group -> number of responses: Đồi Ngô has 4 officials and 3 businesses under the
# threshold, beside 12 citizens; Đông Hưng has 11 citizens and exactly 10 officials.
PLAN = {"doi_ngo": {"citizens": 12, "officials": 4, "businesses": 3}, "dong_hung": {"citizens": 11, "officials": 10}}

Cell = tuple[str, str, frozenset[int]]  # (element, group, communes)


@pytest.fixture
def attacked(instruments, luc_nam, doi_ngo, dong_hung, district_officer):  # type: ignore[no-untyped-def]
    campaign = services.create_campaign(
        by=district_officer,
        unit=luc_nam,
        title="Khảo sát bị tấn công",
        year=2024,
        starts_on=dt.date(2024, 9, 1),
        ends_on=dt.date(2024, 12, 31),
        forms=[("citizens", instruments["PKS07"]), ("officials", instruments["PKS01"]), ("businesses", instruments["PKS06"])],
        min_responses=THRESHOLD,
    )
    services.change_campaign_state(by=district_officer, campaign=campaign, target=CampaignState.OPEN)
    units = {"doi_ngo": doi_ngo, "dong_hung": dong_hung}
    for name, groups in PLAN.items():
        for group, count in groups.items():
            stratum = Stratum.objects.select_related("form__campaign", "form__version").get(
                form__campaign=campaign, form__group=group, unit=units[name]
            )
            likert = list(stratum.form.version.questions.filter(kind=QuestionKind.LIKERT).values_list("code", flat=True))
            for i in range(count):
                answers = {code: str(1 + (i * 7 + k * 3 + len(group)) % 5) for k, code in enumerate(likert)}
                services.submit_response(stratum=stratum, raw=answers, mode=Mode.OPEN, device_id=str(uuid.uuid4()))
    return campaign


def _truth(campaign) -> dict[tuple[str, str], dict[int, set[str]]]:  # type: ignore[no-untyped-def]
    """(element, group) -> commune -> the responses in that cell, from the stored answers."""
    elements = {
        (form_id, code): element
        for form_id, code, element in Question.objects.filter(version__campaign_forms__campaign=campaign, kind=QuestionKind.LIKERT)
        .exclude(element="")
        .values_list("version__campaign_forms__id", "code", "element")
    }
    out: dict[tuple[str, str], dict[int, set[str]]] = {}
    for r in Response.objects.filter(stratum__form__campaign=campaign, is_complete=True).select_related("stratum__form"):
        answered = {elements[(r.stratum.form_id, c)] for c in r.answers if (r.stratum.form_id, c) in elements} | {ALL}
        for e in answered:
            for g in (r.stratum.form.group, ALL):
                out.setdefault((e, g), {}).setdefault(r.stratum.unit_id, set()).add(str(r.pk))
    return out


def _members(truth, cell: Cell) -> frozenset[str]:  # type: ignore[no-untyped-def]
    element, group, communes = cell
    by_commune = truth.get((element, group), {})
    return frozenset(pk for c in communes for pk in by_commune.get(c, ()))


class Seen:
    """Every cell a user was shown: published with its count, or suppressed."""

    def __init__(self) -> None:
        self.published: dict[Cell, int] = {}
        self.suppressed: set[Cell] = set()
        self.counts_of_suppressed: list[object] = []

    def add(self, cell: Cell, n: object, shown: bool) -> None:
        if shown:
            assert isinstance(n, int)
            self.published[cell] = n
        else:
            self.suppressed.add(cell)
            self.counts_of_suppressed.append(n)


def _communes_of(unit_ids: Iterable[int]) -> dict[int, frozenset[int]]:
    return {pk: frozenset(Unit.objects.filter(parent_id=pk).values_list("pk", flat=True)) for pk in unit_ids}


def _cell(by: str, key: str, group: str, mine: frozenset[int], districts: dict[int, frozenset[int]]) -> Cell:
    if by == "element":
        return (key, group, mine)
    if by == "group":
        return (ALL, key, mine)
    if by == "district":
        # a reader of part of a district sees that part under its own units' names (the export's
        # label then names the commune itself)
        return (ALL, group, mine & districts.get(int(key), frozenset({int(key)})))
    return (ALL, group, frozenset({int(key)}))


def _read_everything(attacked, users, client_for, reach) -> Seen:  # type: ignore[no-untyped-def]
    seen = Seen()
    element_by_label = {"Chung": ALL, **{str(label): value for value, label in Element.choices}}
    group_by_label = {str(label): value for value, label in Group.choices}
    names = {u.name: u.pk for u in Unit.objects.all()}
    for user in users:
        client = client_for(user)
        mine = reach[user.username]
        districts = _communes_of({Unit.objects.get(pk=c).parent_id for c in mine})
        for group in ("", *Group.values):
            g = group or ALL
            # the results page (the cells it renders)
            page = client.get(f"/staff/khao-sat/dot/{attacked.pk}/ket-qua/", {"nhom": group})
            assert page.status_code == 200
            ctx = page.context
            for by, table in (("element", "elements"), ("group", "groups"), ("district", "districts"), ("commune", "communes")):
                for c in ctx[table]:
                    seen.add(_cell(by, c.key, g, mine, districts), c.n, not c.suppressed)
            # the API, every breakdown
            for by in ("district", "commune", "group"):
                api = client.get(f"/api/v1/surveys/campaigns/{attacked.pk}/index", {"by": by, "group": group}).json()
                for c in api["elements"]:
                    seen.add(_cell("element", c["key"], g, mine, districts), c["n"], not c["suppressed"])
                for c in api["breakdown"]:
                    seen.add(_cell(by, c["key"], g, mine, districts), c["n"], not c["suppressed"])
        # the index export
        body = client.get(f"/staff/khao-sat/dot/{attacked.pk}/xuat/chi-so/").content.decode("utf-8-sig")
        for row in list(csv.reader(io.StringIO(body)))[1:]:
            by, label, n, hidden = row[0], row[1], row[2], row[9]
            by = "element" if by == "yeu_to" else by
            key = {"element": element_by_label, "group": group_by_label}.get(by, names)[label]
            seen.add(_cell(by, str(key), ALL, mine, districts), int(n) if n else n, hidden != "x")
    return seen


def test_no_suppressed_cell_can_be_worked_out_from_what_is_published(  # type: ignore[no-untyped-def]
    attacked, district_officer, commune_officer, province_officer, luc_nam, doi_ngo, dong_hung, client_for
) -> None:
    both = frozenset({doi_ngo.pk, dong_hung.pk})
    reach = {district_officer.username: both, province_officer.username: both, commune_officer.username: frozenset({doi_ngo.pk})}
    seen = _read_everything(attacked, [district_officer, commune_officer, province_officer], client_for, reach)
    for unit, communes in ((doi_ngo, frozenset({doi_ngo.pk})), (dong_hung, frozenset({dong_hung.pk})), (luc_nam, both)):
        value = metrics.compute("surveys.satisfaction_index", unit=unit, start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
        seen.add((ALL, ALL, communes), value.basis if value.value is not None else None, value.value is not None)

    truth = _truth(attacked)
    # the reviewer's cells are suppressed, and a suppressed cell never shows its count
    assert (ALL, "officials", frozenset({doi_ngo.pk})) in seen.suppressed
    assert (ALL, "businesses", frozenset({doi_ngo.pk})) in seen.suppressed
    assert not set(seen.published) & seen.suppressed, "the same cell is published in one place and hidden in another"
    for cell, n in seen.published.items():
        assert n == len(_members(truth, cell)), cell

    hidden = {_members(truth, cell) for cell in seen.suppressed} - {frozenset()}
    published = {cell: _members(truth, cell) for cell in seen.published}

    def disclosed(rest: frozenset[str]) -> bool:
        return bool(rest) and (len(rest) < THRESHOLD or rest in hidden)

    leaks = []
    for x, xs in published.items():
        inside = [(y, ys) for y, ys in published.items() if y[0] == x[0] and ys < xs]
        for y, ys in inside:  # every pair difference
            if disclosed(xs - ys):
                leaks.append((x, y, len(xs - ys)))
        rest, taken = xs, []  # the total minus every published part that fits (largest first)
        for y, ys in sorted(inside, key=lambda item: -len(item[1])):
            if ys <= rest:
                rest, taken = rest - ys, [*taken, y]
        if taken and disclosed(rest):
            leaks.append((x, tuple(taken), len(rest)))
    assert not leaks, leaks
    assert all(n in (None, "") for n in seen.counts_of_suppressed), seen.counts_of_suppressed


def test_microdata_leave_out_the_rows_of_suppressed_cells(attacked, district_officer, client_for) -> None:  # type: ignore[no-untyped-def]
    body = client_for(district_officer).get(f"/staff/khao-sat/dot/{attacked.pk}/xuat/du-lieu/").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    # Here every commune × group cell is hidden: the small official and business groups, and the
    # citizens beside them so that "all groups minus citizens" gives nothing back; so no row goes
    # out (the district's figures are still published on the results page).
    assert rows == []
