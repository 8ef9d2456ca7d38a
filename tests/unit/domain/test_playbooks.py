"""Playbooks: the five built-ins, the rules on a playbook's data, and choosing one for a
case. Reading playbook files is tested in ``tests/unit/storage/test_playbook_files.py``."""

from __future__ import annotations

import pickle
import random
import re
from dataclasses import replace
from itertools import product
from pathlib import Path

import pytest

from workbench.domain.model import Fault, Heat, Step
from workbench.domain.playbook_rules import read_playbook, slugify
from workbench.domain.playbooks import (
    BUILTIN_KEYS,
    Playbook,
    PlaybookError,
    PlaybookLibrary,
    PlaybookStep,
    no_lines,
    suggest_playbook,
)
from workbench.storage.playbook_files import load_builtin, load_library

SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"
DATA = Path(__file__).resolve().parents[3] / "workbench" / "domain" / "playbook_data"


BUILTIN_NAMES = {
    "Customer blames you",
    "Customer is wrong",
    "Saying no when the customer is wrong",
    "Mad customer after our mistake",
    "Unhappy customer complaint",
}


def playbook_text(playbook: Playbook) -> list[str]:
    """Every piece of prose a playbook shows to a user."""
    texts = [playbook.name, playbook.situation, *playbook.alternatives]
    for step in playbook.steps:
        texts += [step.title, step.guidance, *step.say]
    return texts


def words(text: str) -> list[str]:
    """Lowercased words with punctuation stripped (apostrophes vanish: don't → dont)."""
    return re.findall(r"[^\W_]+", re.sub(r"['’]", "", text.lower()))


def shingles(text: str, size: int = 7) -> set[tuple[str, ...]]:
    tokens = words(text)
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def sentence_count(text: str) -> int:
    return len(re.findall(r"[.!?](?=\s|$)", text))


def by_key() -> dict[str, Playbook]:
    return {playbook.key: playbook for playbook in load_builtin()}


# --- The built-ins ---------------------------------------------------------------------


def test_builtins_load_in_their_fixed_order() -> None:
    playbooks = load_builtin()
    assert [p.key for p in playbooks] == ["blame", "wrong", "saying-no", "our-mistake", "unhappy"]
    assert [p.key for p in playbooks] == list(BUILTIN_KEYS)
    assert [p.name for p in playbooks] == [
        "Customer blames you",
        "Customer is wrong",
        "Saying no when the customer is wrong",
        "Mad customer after our mistake",
        "Unhappy customer complaint",
    ]
    assert {p.name for p in playbooks} == BUILTIN_NAMES
    assert all(p.builtin and p.path is None for p in playbooks)


def test_every_builtin_data_file_is_loaded() -> None:
    assert sorted(path.stem for path in DATA.glob("*.toml")) == sorted(BUILTIN_KEYS)


@pytest.mark.parametrize("key", BUILTIN_KEYS)
def test_builtin_shape(key: str) -> None:
    playbook = by_key()[key]
    assert 4 <= len(playbook.steps) <= 8
    assert playbook.situation and "\n" not in playbook.situation
    assert playbook.faults and playbook.heats
    keys = [step.key for step in playbook.steps]
    assert len(set(keys)) == len(keys)
    for step in playbook.steps:
        assert 0 < len(step.title) <= 40, step.title
        assert step.title[0].isupper(), step.title
        assert not step.title.endswith("."), step.title
        assert 1 <= sentence_count(step.guidance) <= 3, step.guidance
        assert step.guidance.rstrip()[-1] in ".!?", step.guidance
        assert "e.g" not in step.guidance and "..." not in step.guidance


WORDED = {  # the steps where words matter, by what the issue lists: each has wording
    "our-mistake": {"apologise", "ask-what-fixes-it", "propose-remedy", "follow-up"},
    "blame": {"ask-them", "prepare-our-side", "stay-calm", "own-our-part", "follow-up"},
    "wrong": {"call-now", "hear-them-out", "offer-alternatives", "part-ways", "follow-up"},
    "saying-no": {"stay-personal", "ask-empathy", "give-reasons", "meet-halfway", "follow-up"},
    "unhappy": {"empathise", "ask-questions", "take-action", "follow-up"},
}


@pytest.mark.parametrize("key", BUILTIN_KEYS)
def test_builtin_wording_is_short_and_where_words_matter(key: str) -> None:
    playbook = by_key()[key]
    assert {step.key for step in playbook.steps if step.say} == WORDED[key]
    for step in playbook.steps:
        assert len(step.say) <= 3
        for line in step.say:
            assert len(line) <= 100, line
            assert line[0].isupper() or line.startswith("{"), line
            assert line.rstrip()[-1] in ".?:", line
    # The contact step and the follow-up call each greet the customer by name.
    for step in playbook.steps:
        if step.follow_up:
            assert "{customer}" in " ".join(step.say), step.key
    assert 3 <= len(playbook.alternatives) <= 6
    assert all(0 < len(other) <= 60 for other in playbook.alternatives)


@pytest.mark.parametrize("key", BUILTIN_KEYS)
def test_builtin_ends_with_follow_up_and_has_one_contact_step(key: str) -> None:
    steps = by_key()[key].steps
    assert steps[-1].follow_up
    assert [step.follow_up for step in steps].count(True) == 1
    contact = [step for step in steps if step.contact]
    assert len(contact) == 1
    assert not contact[0].follow_up


def test_seed_folder_holds_the_five_articles() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed articles are not beside this checkout ({SEEDS})")
    assert len(list(SEEDS.glob("*.txt"))) == 5


@pytest.mark.parametrize("key", BUILTIN_KEYS)
def test_builtin_text_never_copies_a_seed_sentence(key: str) -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed articles are not beside this checkout ({SEEDS})")
    seed_shingles: set[tuple[str, ...]] = set()
    for seed in sorted(SEEDS.glob("*.txt")):
        seed_shingles |= shingles(seed.read_text(encoding="utf-8"))
    assert len(seed_shingles) > 1000  # the articles really were read
    texts = playbook_text(by_key()[key])
    # Each field on its own, and all of them run together (a copy could straddle two).
    for text in [*texts, " ".join(texts)]:
        copied = shingles(text) & seed_shingles
        assert not copied, f"{key} copies the seeds: {sorted(' '.join(c) for c in copied)}"


def test_shingle_check_would_catch_a_copy() -> None:
    # Guards the test above: a lightly re-punctuated sentence from a seed is still caught.
    copied = "Turn your phone off, or leave it in the car!"
    assert shingles(copied) & shingles("Turn your phone off or leave it in the car, look")


def test_wrong_starts_with_calling_not_emailing() -> None:
    first = by_key()["wrong"].steps[0]
    assert first.contact
    assert first.title == "Call them today — don't e-mail"
    text = f"{first.title} {first.guidance}".lower()
    assert "call" in text or "phone" in text
    assert "e-mail" in first.guidance.lower()
    assert "as soon as" in first.guidance.lower()


def test_wrong_has_a_parting_ways_step_before_the_follow_up() -> None:
    steps = by_key()["wrong"].steps
    parting = [step for step in steps if "part ways" in step.title.lower()]
    assert len(parting) == 1
    assert "competitor" in parting[0].guidance.lower()
    assert "parted ways" in parting[0].guidance.lower()
    assert steps.index(parting[0]) < len(steps) - 1


def test_our_mistake_weighs_the_cost_and_can_propose_a_remedy() -> None:
    steps = by_key()["our-mistake"].steps
    weigh = [s for s in steps if "cost" in s.title.lower() and "weigh" in s.title.lower()]
    assert len(weigh) == 1
    assert "losing" in weigh[0].guidance.lower()
    assert any("specific remedy" in s.title.lower() for s in steps)
    assert steps[0].key == "think-first"
    assert not steps[0].contact  # think before speaking


def test_saying_no_stays_personal_and_meets_halfway() -> None:
    steps = {step.key: step for step in by_key()["saying-no"].steps}
    assert steps["stay-personal"].contact
    assert "script" in steps["stay-personal"].title.lower()
    assert "alternative" in steps["meet-halfway"].guidance.lower()


def test_unhappy_says_apology_is_not_agreement() -> None:
    first = by_key()["unhappy"].steps[0]
    assert first.contact
    assert "not admitting" in first.guidance


# --- Suggesting a playbook -------------------------------------------------------------

SUGGESTIONS = {
    (Heat.CALM, Fault.OURS): "unhappy",
    (Heat.UPSET, Fault.OURS): "our-mistake",
    (Heat.FURIOUS, Fault.OURS): "our-mistake",
    (Heat.CALM, Fault.THEIRS): "saying-no",
    (Heat.UPSET, Fault.THEIRS): "saying-no",
    (Heat.FURIOUS, Fault.THEIRS): "wrong",
    (Heat.CALM, Fault.SHARED): "unhappy",
    (Heat.UPSET, Fault.SHARED): "blame",
    (Heat.FURIOUS, Fault.SHARED): "blame",
    (Heat.CALM, Fault.UNCLEAR): "unhappy",
    (Heat.UPSET, Fault.UNCLEAR): "blame",
    (Heat.FURIOUS, Fault.UNCLEAR): "blame",
}


def test_suggestion_table_covers_every_combination() -> None:
    assert set(SUGGESTIONS) == set(product(Heat, Fault))


@pytest.mark.parametrize(("heat", "fault"), list(SUGGESTIONS))
def test_suggest_builtin(heat: Heat, fault: Fault) -> None:
    expected = SUGGESTIONS[(heat, fault)]
    assert suggest_playbook(heat, fault, load_builtin()).key == expected
    assert load_library(None).suggest(heat, fault).key == expected


@pytest.mark.parametrize(("heat", "fault"), list(SUGGESTIONS))
def test_suggested_builtin_lists_the_case_heat_and_fault(heat: Heat, fault: Fault) -> None:
    chosen = suggest_playbook(heat, fault, load_builtin())
    assert fault in chosen.faults and heat in chosen.heats


def test_suggest_does_not_depend_on_input_order() -> None:
    playbooks = load_builtin()
    for seed in range(5):
        shuffled = playbooks[:]
        random.Random(seed).shuffle(shuffled)
        for (heat, fault), expected in SUGGESTIONS.items():
            assert suggest_playbook(heat, fault, shuffled).key == expected


def test_fault_counts_more_than_heat() -> None:
    fault_only = make_playbook("fault-only", faults=[Fault.OURS], heats=[Heat.CALM])
    heat_only = make_playbook("heat-only", faults=[Fault.THEIRS], heats=[Heat.FURIOUS])
    assert suggest_playbook(Heat.FURIOUS, Fault.OURS, [heat_only, fault_only]) is fault_only


def test_ties_go_to_builtins_first_then_user_playbooks_by_name() -> None:
    zed = make_playbook("zed", name="Zed", faults=[Fault.OURS], heats=[Heat.CALM])
    abe = make_playbook("abe", name="abe", faults=[Fault.OURS], heats=[Heat.CALM])
    assert suggest_playbook(Heat.CALM, Fault.OURS, [zed, abe]) is abe
    # As broad as the built-in that fits: the built-in wins the tie.
    broad = make_playbook("broad", faults=["ours", "shared", "unclear"], heats=[Heat.CALM])
    assert suggest_playbook(Heat.CALM, Fault.OURS, [broad, *load_builtin()]).key == "unhappy"


def test_suggest_from_nothing_is_an_error() -> None:
    with pytest.raises(ValueError, match="no playbooks"):
        suggest_playbook(Heat.CALM, Fault.OURS, [])


def make_playbook(
    key: str,
    *,
    name: str | None = None,
    faults: list[Fault] | list[str] | None = None,
    heats: list[Heat] | list[str] | None = None,
) -> Playbook:
    return Playbook(
        key=key,
        name=name or key.title(),
        situation="",
        faults=frozenset(Fault(f) for f in (faults or list(Fault))),
        heats=frozenset(Heat(h) for h in (heats or list(Heat))),
        steps=(PlaybookStep("one", "One", "Do it."),),
        builtin=False,
    )


def test_get_unknown_key_lists_the_known_ones() -> None:
    library = load_library(None)
    with pytest.raises(KeyError) as caught:
        library.get("refund")
    assert str(caught.value) == (
        "there is no playbook 'refund'; known playbooks: "
        "blame, wrong, saying-no, our-mistake, unhappy"
    )


def test_playbook_error_reads_as_a_sentence_and_survives_pickling() -> None:
    error = PlaybookError(Path("/home/me/playbooks/my-playbook.toml"), 7, "step 2 has no title")
    assert str(error) == "my-playbook.toml, line 7: step 2 has no title"
    assert isinstance(error, ValueError)
    assert str(PlaybookError(Path("a/b.toml"), None, "no steps")) == "b.toml: no steps"
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.path, copy.line, copy.message) == (error.path, 7, error.message)


def test_slugify() -> None:
    assert slugify("  Hear them out — fully!  ") == "hear-them-out-fully"
    assert slugify("Café crème") == "cafe-creme"
    assert slugify("——") == ""


# --- The rules, on plain data ----------------------------------------------------------


def test_a_playbook_is_read_from_plain_data() -> None:
    data = {
        "name": "Late delivery",
        "faults": "ours",
        "steps": [{"title": "Call", "guidance": "G."}],
    }
    playbook = read_playbook(data, Path("late.toml"))
    assert (playbook.key, playbook.name, playbook.faults) == ("late", "Late delivery", {Fault.OURS})
    assert playbook.steps == (PlaybookStep("call", "Call", "G."),)
    assert playbook.path == Path("late.toml") and not playbook.builtin


def test_a_broken_rule_names_the_line_the_caller_gives() -> None:
    lines = {("name",): 1, ("steps", 0): 3, ("steps", 0, "contact"): 6}
    data = {"name": "N", "steps": [{"title": "T", "guidance": "G.", "contact": "yes"}]}
    with pytest.raises(PlaybookError) as caught:
        read_playbook(data, Path("n.toml"), lambda *path: lines.get(path))
    assert str(caught.value) == "n.toml, line 6: step 1's contact should be true or false"
    del data["steps"][0]["guidance"]
    with pytest.raises(PlaybookError) as caught:
        read_playbook(data, Path("n.toml"), lambda *path: lines.get(path))
    assert str(caught.value) == "n.toml, line 3: step 1 ('T') has no guidance"
    with pytest.raises(PlaybookError) as caught:
        read_playbook(data, Path("n.toml"))  # no lines known
    assert str(caught.value) == "n.toml: step 1 ('T') has no guidance"


def test_a_library_leaves_out_a_taken_key_and_keeps_the_file_order() -> None:
    builtin = replace(make_playbook("wrong", name="Customer is wrong"), builtin=True)
    mine = replace(make_playbook("wrong"), path=Path("/p/mine.toml"))
    late = replace(make_playbook("late"), path=Path("/p/late.toml"))
    broken = PlaybookError(Path("/p/a.toml"), 2, "the name is empty")
    found = [broken, (mine, lambda *path: 4 if path == ("key",) else None), (late, no_lines)]
    library = PlaybookLibrary.gather([builtin], found)
    assert [p.key for p in library] == ["wrong", "late"]
    assert [str(p) for p in library.problems] == [
        "a.toml, line 2: the name is empty",
        "mine.toml, line 4: the key 'wrong' is already used by the built-in playbook "
        "'Customer is wrong'; give this playbook its own key",
    ]


# --- Steps for a case ------------------------------------------------------------------


def test_new_steps_are_fresh_independent_case_steps() -> None:
    playbook = by_key()["our-mistake"]
    first = playbook.new_steps()
    second = playbook.new_steps()
    assert all(isinstance(step, Step) for step in first)
    assert [(s.key, s.title, s.guidance, s.contact, s.follow_up) for s in first] == [
        (s.key, s.title, s.guidance, s.contact, s.follow_up) for s in playbook.steps
    ]
    assert all(not step.done and step.note == "" for step in first)
    first[0].note = "they were shouting"
    first.pop()
    assert second[0].note == ""
    assert len(second) == len(playbook.steps)
    assert all(a is not b for a, b in zip(first, second, strict=False))
    assert playbook.new_steps()[0].note == ""


def test_library_iterates_in_order() -> None:
    library = PlaybookLibrary(playbooks=load_builtin(), problems=[])
    assert [p.key for p in library] == list(BUILTIN_KEYS)
    assert len(library) == 5
    assert library.get("wrong").name == "Customer is wrong"
