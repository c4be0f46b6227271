"""`newsprism bench compare` on an invented stories folder with a fact gold written here."""

from __future__ import annotations

from pathlib import Path

from newsprism.bench import compare as compare_bench

REPORTS = {
    "1_1ecb": "Gas blast at Dornvik mine.\n\nA gas blast at the Dornvik copper mine killed 4 miners and injured 12 on "
              "Tuesday, the mine operator said.",
    "1_2ecb": "Dornvik mine blast.\n\nA gas blast at the Dornvik copper mine killed 6 miners and injured 12 on "
              "Tuesday, rescuers said.",
    "1_3ecb": "Mine blast kills miners.\n\nRescuers said the gas blast at the Dornvik copper mine killed 4 miners and "
              "injured 12 workers.",
}


def stories_folder(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir(parents=True)
    rows = ["doc_id\tsplit\ttopic\tevent_cluster"]
    for doc_id, text in REPORTS.items():
        (tmp_path / "docs" / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        rows.append(f"{doc_id}\tdev\t1\t1ecb")
    (tmp_path / "gold.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return tmp_path


def fact_rows(fact_id: str, status: str, phrase_of: dict[str, tuple[str, str]]) -> list[str]:
    rows = []
    for doc_id, (phrase, value) in phrase_of.items():
        start = REPORTS[doc_id].index(phrase)
        rows.append(f"{fact_id}\tdev\t1ecb\t{status}\tcount\tmine blast: killed\t{doc_id}\t{value}\t{start}"
                    f"\t{start + len(phrase)}\t")
    return rows


def write_gold(tmp_path: Path, rows: list[str]) -> Path:
    gold = tmp_path / "facts.tsv"
    header = "fact_id\tsplit\tevent_cluster\tstatus\tkind\tslot\tdoc_id\tvalue\tstart\tend\tnote"
    gold.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return gold


def test_a_toll_given_differently_is_found_and_one_given_alike_is_not_in_conflict(tmp_path: Path) -> None:
    data = stories_folder(tmp_path / "stories")
    killed = fact_rows("1-killed", "differ", {"1_1ecb": ("killed 4", "4"), "1_2ecb": ("killed 6", "6"),
                                              "1_3ecb": ("killed 4", "4")})
    injured = fact_rows("1-injured", "agree", {d: ("injured 12", "12") for d in REPORTS})
    gold = write_gold(tmp_path, [*killed, *injured])
    result = compare_bench.run("dev", data, gold)
    assert (result["differ"], result["found"], result["agree"], result["false"]) == (1, ["1-killed"], 1, [])
    assert result["reported"] == 1


def test_passages_are_moved_from_file_to_body_offsets(tmp_path: Path) -> None:
    data = stories_folder(tmp_path / "stories")
    article, offset = compare_bench.read_body(data / "docs" / "1_2ecb.txt")
    start = REPORTS["1_2ecb"].index("killed 6")
    assert article.text[start - offset:start - offset + len("killed 6")] == "killed 6"
    assert article.outlet == "1_2ecb" and article.title == "Dornvik mine blast."


def test_a_fact_in_agreement_that_is_reported_in_conflict_counts_as_false(tmp_path: Path) -> None:
    data = stories_folder(tmp_path / "stories")
    wrongly_agreed = fact_rows("1-killed", "agree", {"1_1ecb": ("killed 4", "4"), "1_3ecb": ("killed 4", "4")})
    gold = write_gold(tmp_path, wrongly_agreed)
    result = compare_bench.run("dev", data, gold)
    assert (result["differ"], result["agree"], result["false"]) == (0, 1, ["1-killed"])


def test_a_duration_reported_with_its_unit_matches_the_golds_bare_number() -> None:
    assert compare_bench._same_value("<3", "3 hours") and compare_bench._same_value("2", "2")
    assert not compare_bench._same_value("2", "3 hours") and not compare_bench._same_value("2", "2011-02-02")


def test_values_of_distinct_quantities_that_one_conflict_gives_count_as_merged(tmp_path: Path) -> None:
    data = stories_folder(tmp_path / "stories")
    merged = fact_rows("1-two", "distinct", {"1_1ecb": ("killed 4", "4"), "1_2ecb": ("killed 6", "6")})
    apart = fact_rows("1-apart", "distinct", {"1_1ecb": ("killed 4", "4"), "1_2ecb": ("injured 12", "12")})
    gold = write_gold(tmp_path, [*merged, *apart])
    result = compare_bench.run("dev", data, gold)
    assert (result["distinct"], result["merged"], result["false"]) == (2, ["1-two"], [])


def test_each_reported_conflict_is_shown_with_its_passages_and_the_golds_call(tmp_path: Path) -> None:
    data = stories_folder(tmp_path / "stories")
    killed = fact_rows("1-killed", "differ", {"1_1ecb": ("killed 4", "4"), "1_2ecb": ("killed 6", "6")})
    gold = write_gold(tmp_path, killed)
    result = compare_bench.run("dev", data, gold)
    [shown] = result["conflicts"]
    assert shown["gold"] == ["found 1-killed"] and shown["cluster"] == "1ecb"
    assert sorted(value for value, _ in shown["values"]) == ["4", "6"]
    text = compare_bench.format_conflicts([result])
    assert "found 1-killed" in text and "1_2ecb: " in text and "killed 6 miners" in text
