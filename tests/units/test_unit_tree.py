"""The unit tree: materialised path and depth kept right on create and on moving a subtree, cycles
refused; the in_force / subtree_of / search queries."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from core.text import search_key
from units.models import Unit, UnitKind


def _unit(name: str, parent: Unit | None = None, kind: str = UnitKind.VILLAGE, **extra: object) -> Unit:
    return Unit.objects.create(code=name, edition="test", name=name, kind=kind, parent=parent, **extra)


@pytest.fixture
def tree(db):  # type: ignore[no-untyped-def]
    """root ─ a ─ b ─ c, and another root x."""
    root = _unit("root", kind=UnitKind.PROVINCE)
    a = _unit("a", root, UnitKind.DISTRICT)
    b = _unit("b", a, UnitKind.COMMUNE)
    c = _unit("c", b)
    x = _unit("x", kind=UnitKind.PROVINCE)
    return {"root": root, "a": a, "b": b, "c": c, "x": x}


def _fresh(unit: Unit) -> Unit:
    return Unit.objects.get(pk=unit.pk)


def test_path_and_depth_are_set_on_create(tree):
    root, a, b, c = (_fresh(tree[k]) for k in ("root", "a", "b", "c"))
    assert (root.path, root.depth) == (f"/{root.pk}/", 0)
    assert (a.path, a.depth) == (f"/{root.pk}/{a.pk}/", 1)
    assert (c.path, c.depth) == (f"/{root.pk}/{a.pk}/{b.pk}/{c.pk}/", 3)
    assert c.ancestors() == [root, a, b]
    assert c.ancestor_ids() == [root.pk, a.pk, b.pk, c.pk]
    assert c.is_within(a) and not a.is_within(c)


def test_moving_a_subtree_updates_every_descendant(tree):
    a, b, c, x = tree["a"], tree["b"], tree["c"], tree["x"]
    a.parent = x
    a.save()
    assert (_fresh(a).path, _fresh(a).depth) == (f"/{x.pk}/{a.pk}/", 1)
    assert (_fresh(b).path, _fresh(b).depth) == (f"/{x.pk}/{a.pk}/{b.pk}/", 2)
    assert (_fresh(c).path, _fresh(c).depth) == (f"/{x.pk}/{a.pk}/{b.pk}/{c.pk}/", 3)
    assert not Unit.objects.subtree_of(tree["root"]).exclude(pk=tree["root"].pk).exists()

    # Moving up a level (to the root) changes depths too.
    b = _fresh(b)
    b.parent = None
    b.save()
    assert (_fresh(b).path, _fresh(b).depth) == (f"/{b.pk}/", 0)
    assert (_fresh(c).path, _fresh(c).depth) == (f"/{b.pk}/{c.pk}/", 1)


def test_moving_a_real_commune_takes_its_villages_along(doi_ngo, luc_ngan):
    village = _unit("07444.t1", doi_ngo)
    doi_ngo.parent = luc_ngan
    doi_ngo.save()
    assert _fresh(village).path == f"{luc_ngan.path}{doi_ngo.pk}/{village.pk}/"
    assert _fresh(village).depth == 4


@pytest.mark.parametrize("new_parent", ["a", "c", "b"])
def test_a_unit_cannot_be_placed_under_itself_or_its_descendants(tree, new_parent):
    a = tree["a"]
    a.parent = tree[new_parent]
    with pytest.raises(ValueError, match="descendant"):
        a.save()
    assert _fresh(a).parent_id == tree["root"].pk
    assert _fresh(tree["c"]).path.startswith(_fresh(tree["root"]).path)


def test_in_force_follows_the_validity_dates(db):
    old = _unit("old", kind=UnitKind.COMMUNE, valid_to=dt.date(2025, 6, 30))
    new = _unit("new", kind=UnitKind.COMMUNE, valid_from=dt.date(2025, 7, 1))
    always = _unit("always", kind=UnitKind.COMMUNE)
    test_units = Unit.objects.filter(edition="test")
    assert set(test_units.in_force(dt.date(2025, 6, 30))) == {old, always}
    assert set(test_units.in_force(dt.date(2025, 7, 1))) == {new, always}
    with time_machine.travel(dt.datetime(2025, 6, 30, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=7))), tick=False):
        # Today is taken in Vietnam's time zone: 30/06 23:30 there is still 30/06.
        assert set(test_units.in_force()) == {old, always}
        assert old.is_in_force and not new.is_in_force
    with time_machine.travel(dt.datetime(2025, 7, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=7))), tick=False):
        assert set(test_units.in_force()) == {new, always}


def test_subtree_of_is_the_unit_and_everything_below_whatever_the_depth(tree, luc_nam, doi_ngo):
    assert set(Unit.objects.subtree_of(tree["a"])) == {tree["a"], tree["b"], tree["c"]}
    lucnam = Unit.objects.subtree_of(luc_nam)
    assert doi_ngo in lucnam and luc_nam in lucnam
    assert set(lucnam.values_list("kind", flat=True)) == {UnitKind.DISTRICT, UnitKind.COMMUNE}
    assert not lucnam.filter(code="07528").exists()  # Cấm Sơn is in Lục Ngạn


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("luc nam", "Huyện Lục Nam"),
        ("Lục Nam", "Huyện Lục Nam"),
        ("dong hung", "Xã Đông Hưng"),
        ("DONG HUNG", "Xã Đông Hưng"),
        ("  đông   hưng ", "Xã Đông Hưng"),
        ("07450", "Xã Đông Hưng"),
    ],
)
def test_search_ignores_diacritics_case_and_spacing(bac_giang, query, expected):
    assert expected in set(Unit.objects.search(query).values_list("name", flat=True))


@pytest.mark.parametrize("query", ["", "   ", None])
def test_an_empty_search_finds_nothing(bac_giang, query):
    assert not Unit.objects.search(query).exists()


def test_search_text_follows_a_rename(dong_hung):
    dong_hung.name = "Xã Đông Hưng Mới"
    dong_hung.save()
    assert Unit.objects.search("dong hung moi").get() == dong_hung


def test_full_clean_reports_a_cycle_as_a_form_error(tree):
    from django.core.exceptions import ValidationError

    a = tree["a"]
    a.parent = tree["c"]
    with pytest.raises(ValidationError) as excinfo:
        a.full_clean()
    assert "parent" in excinfo.value.message_dict
    a.parent = tree["x"]
    a.full_clean()


def test_moving_a_large_subtree_costs_a_fixed_number_of_queries(luc_nam, django_assert_max_num_queries):
    new_root = _unit("root", kind=UnitKind.PROVINCE)
    communes = list(Unit.objects.filter(parent=luc_nam))
    assert len(communes) > 20
    luc_nam.parent = new_root
    with django_assert_max_num_queries(6):
        luc_nam.save()
    for commune in Unit.objects.filter(pk__in=[c.pk for c in communes]):
        assert (commune.path, commune.depth) == (f"/{new_root.pk}/{luc_nam.pk}/{commune.pk}/", 2)


def test_search_puts_matches_at_the_start_of_a_word_first(bac_giang):
    from units.queries import search_units

    names = [u.name for u in search_units("an", limit=5)]
    assert len(names) == 5
    assert all(any(word.startswith("an") for word in search_key(name).split()) for name in names), names
    assert search_units("luc nam")[0].name == "Huyện Lục Nam"


def test_saving_only_some_fields_keeps_the_derived_ones_right(tree, dong_hung):
    a, b, x = tree["a"], tree["b"], tree["x"]
    a.parent = x
    a.save(update_fields=["parent"])
    assert _fresh(a).path == f"/{x.pk}/{a.pk}/" and _fresh(b).path == f"/{x.pk}/{a.pk}/{b.pk}/"
    dong_hung.name = "Xã Đông Hưng Mới"
    dong_hung.save(update_fields=["name"])
    assert Unit.objects.search("dong hung moi").get() == dong_hung
