"""manage.py check_terms: output and exit codes."""

from __future__ import annotations

import io
import json
import sys

import pytest
from django.core.management import CommandError, call_command

from tests.factories import concept_data, publish

pytestmark = pytest.mark.usefixtures("fresh_check_index")


@pytest.fixture
def glossary(editor, reviewer_us, reviewer_cn):
    reviewers = [reviewer_us, reviewer_cn]
    publish(
        editor,
        reviewers,
        "neural-network",
        concept_data(
            "neural network",
            "神经网络",
            "神經網路",
            ("en", "neural net", "deprecated"),
            ("zh-Hans", "神经元网络", "deprecated"),
        ),
    )
    publish(editor, reviewers, "generative-ai", concept_data("generative AI", "生成式人工智能"))


def run(*args: str) -> tuple[int, str]:
    """Run the command; return its exit status and what it wrote."""
    out = io.StringIO()
    try:
        call_command("check_terms", *args, stdout=out, no_color=True)
    except SystemExit as exc:
        return int(exc.code), out.getvalue()
    return 0, out.getvalue()


def write(tmp_path, name: str, content: str) -> str:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return str(path)


@pytest.mark.django_db
def test_a_clean_translation_exits_with_0(tmp_path, glossary) -> None:
    source = write(tmp_path, "en.txt", "Generative AI runs on neural networks.\n")
    target = write(tmp_path, "zh.txt", "生成式人工智能运行在神经网络上。\n")
    status, output = run("--source", source, "--target", target)
    assert status == 0
    assert output.splitlines() == [
        "0-13 'Generative AI' [generative-ai] preferred; expected '生成式人工智能', found '生成式人工智能'",
        "22-37 'neural networks' [neural-network] preferred; expected '神经网络', found '神经网络'",
        "2 findings (2 preferred); 0 to fix.",
    ]


@pytest.mark.django_db
def test_a_deprecated_or_missing_term_exits_with_1(tmp_path, glossary) -> None:
    source = write(tmp_path, "en.txt", "Generative AI runs on neural networks.")
    target = write(tmp_path, "zh.txt", "生成式模型运行在神经元网络上。")
    status, output = run("--source", source, "--target", target, "--format", "json")
    assert status == 1
    body = json.loads(output)
    assert [(f["concept"], f["verdict"], f["replacement"]) for f in body["findings"]] == [
        ("generative-ai", "missing", None),
        ("neural-network", "deprecated", "神经网络"),
    ]
    assert body["summary"]["problems"] == 2


@pytest.mark.django_db
def test_a_single_text_is_checked_for_terms_to_replace(tmp_path, glossary) -> None:
    clean = write(tmp_path, "clean.txt", "神经网络")
    assert run("--source", clean, "--source-language", "zh-Hans") == (
        0,
        "0 findings (none); 0 to fix.\n",
    )
    flagged = write(tmp_path, "flagged.txt", "用神经元网络")
    status, output = run("--source", flagged, "--source-language", "zh-Hans")
    assert status == 1
    assert output.splitlines()[0] == "1-6 '神经元网络' [neural-network] deprecated: use '神经网络'"


@pytest.mark.django_db
def test_stdin_can_be_the_source(monkeypatch, glossary) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("a neural net"))
    status, output = run("--source", "-")
    assert status == 1
    assert "deprecated: use 'neural network'" in output


@pytest.mark.django_db
def test_bad_input_exits_with_2_and_says_why(tmp_path) -> None:
    with pytest.raises(CommandError, match="No such file") as missing:
        call_command("check_terms", "--source", str(tmp_path / "nope.txt"))
    assert missing.value.returncode == 2
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("caf\xe9".encode("latin-1"))
    with pytest.raises(CommandError, match="UTF-8") as undecodable:
        call_command("check_terms", "--source", str(latin1))
    assert undecodable.value.returncode == 2
    source = write(tmp_path, "en.txt", "AI")
    with pytest.raises(CommandError, match="another language") as same:
        call_command(
            "check_terms", "--source", source, "--target", source, "--target-language", "en"
        )
    assert same.value.returncode == 2
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("check_terms", "--source", source, "--source-language", "fr")


def test_manage_py_exit_status_for_bad_input(tmp_path) -> None:
    import os
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    completed = subprocess.run(
        [sys.executable, "manage.py", "check_terms", "--source", str(tmp_path / "nope.txt")],
        cwd=root,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 2
    assert "No such file" in completed.stderr


@pytest.mark.django_db
def test_a_chinese_text_without_its_language_is_read_as_chinese(tmp_path, glossary) -> None:
    flagged = write(tmp_path, "zh.txt", "我们使用神经元网络。")
    status, output = run("--source", flagged)
    assert status == 1
    assert output.splitlines() == [
        "4-9 '神经元网络' [neural-network] deprecated: use '神经网络'",
        "1 finding (1 deprecated); 1 to fix.",
    ]
    status, output = run("--source", flagged, "--format", "json")
    assert json.loads(output)["source_language"] == "zh-Hans"
    # The translation's language is read from it too.
    source = write(tmp_path, "zh-source.txt", "生成式人工智能")
    target = write(tmp_path, "en-target.txt", "generative AI")
    status, output = run("--source", source, "--target", target, "--format", "json")
    body = json.loads(output)
    assert (status, body["source_language"], body["target_language"]) == (0, "zh-Hans", "en")


@pytest.mark.django_db
def test_a_language_given_for_a_text_in_another_script_exits_with_2(tmp_path, glossary) -> None:
    chinese = write(tmp_path, "zh.txt", "我们使用神經元網絡。")
    with pytest.raises(CommandError) as source:
        call_command("check_terms", "--source", chinese, "--source-language", "en")
    assert source.value.returncode == 2
    assert str(source.value) == (
        "The text looks like Traditional Chinese, but its language was given as English. "
        "Correct the language, or have it detected from the text."
    )
    english = write(tmp_path, "en.txt", "neural networks")
    with pytest.raises(CommandError, match="The translation looks like English") as target:
        call_command(
            "check_terms", "--source", english, "--target", english, "--target-language", "zh-Hant"
        )
    assert target.value.returncode == 2


@pytest.mark.django_db
def test_each_occurrence_is_written_once(tmp_path, glossary) -> None:
    source = write(tmp_path, "en.txt", "Neural nets, neural networks and neural nets.")
    target = write(tmp_path, "zh.txt", "神经网络、神经元网络和神经网络。")
    status, output = run("--source", source, "--target", target)
    assert status == 1
    assert output.splitlines() == [
        "0-11 'Neural nets', 13-28 'neural networks', 33-44 'neural nets' [neural-network] "
        "deprecated; expected '神经网络', found '神经网络', '神经元网络', '神经网络'; use '神经网络' "
        "(source term is deprecated; use 'neural network')",
        "1 finding (1 deprecated); 1 to fix.",
    ]
    status, output = run("--source", source, "--target", target, "--format", "json")
    body = json.loads(output)
    assert [(f["source"], f["target"]) for f in body["findings"]] == [([0, 1, 2], [0, 1, 2])]
    assert [o["text"] for o in body["occurrences"]["target"]] == [
        "神经网络",
        "神经元网络",
        "神经网络",
    ]
