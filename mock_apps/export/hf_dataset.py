"""`hf`: a Hugging Face `datasets` folder: Parquet with one row per step (screenshots embedded) and a dataset card.

Loads with `datasets.load_dataset(FOLDER)` (the card names the data files) or
`datasets.load_dataset("parquet", data_files=FOLDER + "/data/*.parquet")`.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from mock_apps.export.format import ExportFormat, Written
from mock_apps.export.records import step_records
from mock_apps.export.source import ExportSource

DATA_FILE = "data/train-00000-of-00001.parquet"
# column -> (datasets feature type, what it holds); the card lists the same table
COLUMNS = {
    "id": ("string", "trajectory id and step number"),
    "trajectory_id": ("string", "the trajectory's id"),
    "task": ("string", "task id (null for a free session)"),
    "scenario": ("string", "the scenario of the world"),
    "trainer": ("string", "who recorded it (a person or an agent)"),
    "outcome": ("string", "passed / failed / unchecked by the task's checks, or null"),
    "goal": ("string", "the task's instruction"),
    "step": ("int32", "step number within the trajectory"),
    "num_steps": ("int32", "steps in the trajectory"),
    "app": ("string", "app the action happened in (mail, chat, sheets, books; null for a blank tab)"),
    "page": ("string", "tab id (p0, p1, ...)"),
    "url": ("string", "app-relative URL before the action (mail:/search?q=...)"),
    "accessibility": ("string", "ARIA snapshot of the page before the action (null when none was recorded)"),
    "screenshot": ("image", "screenshot of the page before the action (null when none was recorded)"),
    "observation_from_step": ("int32", "the step whose recorded observation is this row's observation"),
    "accessibility_after": ("string", "ARIA snapshot once the step settled (its own recorded observation)"),
    "screenshot_after": ("image", "screenshot once the step settled"),
    "action": ("string", "the action in the evaluation action language, e.g. click(\"testid=save\")"),
    "action_type": ("string", "the recorded action type"),
    "element_id": ("string", "the target's best recorded selector (see docs/EXPORT.md)"),
    "element_role": ("string", "the target's ARIA role"),
    "element_name": ("string", "the target's accessible name"),
    "url_after": ("string", "app-relative URL once the step settled"),
    "changes": ("list<string>", "the change-log operations the step caused (app:op)"),
}


def features():
    """The `datasets.Features` of a row."""
    import datasets

    def feature(kind: str):
        if kind == "image":
            return datasets.Image()
        if kind == "list<string>":
            return datasets.List(datasets.Value("string"))
        return datasets.Value(kind)

    return datasets.Features({name: feature(kind) for name, (kind, _) in COLUMNS.items()})


def _image(source: ExportSource, relative: str | None) -> dict | None:
    """A screenshot as the Image feature stores it (bytes embedded, named <trajectory id>/shots/NNNN.jpg)."""
    found = source.existing(relative)
    return {"bytes": found.read_bytes(), "path": f"{source.meta.id}/{relative}"} if found else None


def _row(source: ExportSource, record: dict) -> dict:
    observation, after, element = record["observation"], record["observation_after"], record["element"] or {}
    return {
        **{key: record[key] for key in ("id", "trajectory_id", "task", "scenario", "trainer", "outcome", "goal",
                                        "step", "num_steps", "app", "page", "url", "action", "action_type",
                                        "url_after", "changes")},
        "accessibility": observation["accessibility"],
        "screenshot": _image(source, observation["screenshot"]),
        "accessibility_after": after["accessibility"],
        "screenshot_after": _image(source, after["screenshot"]),
        "observation_from_step": observation["from_step"],
        "element_id": element.get("id"), "element_role": element.get("role"), "element_name": element.get("name"),
    }


def card(sources: list[ExportSource], rows: int, data_bytes: int) -> str:
    """The dataset card (README.md): the front matter `datasets` reads, then what the columns mean."""
    feature_list = [{"name": name, "list": "string"} if kind == "list<string>" else {"name": name, "dtype": kind}
                    for name, (kind, _) in COLUMNS.items()]
    front = {"configs": [{"config_name": "default", "data_files": [{"split": "train", "path": DATA_FILE}]}],
             "dataset_info": {"features": feature_list, "splits": [{"name": "train", "num_bytes": data_bytes,
                                                                       "num_examples": rows}]},
             "tags": ["agents", "web-navigation", "trajectories", "mockapps"]}
    tasks = sorted({s.meta.task or "(free session)" for s in sources})
    table = "\n".join(f"| `{name}` | {kind} | {text} |" for name, (kind, text) in COLUMNS.items())
    return (f"---\n{yaml.safe_dump(front, sort_keys=False)}---\n\n"
            f"# mockapps trajectories\n\n"
            f"{rows} steps from {len(sources)} trajectories recorded in the mockapps sandbox (mock Mail, Chat, "
            f"Sheets and Books apps), one row per step: what the page looked like before the action and the "
            f"action taken, in the evaluation action language.\n\n"
            f"Tasks: {', '.join(tasks)}.\n\n"
            f"```python\nimport datasets\nrows = datasets.load_dataset(\"path/to/this/folder\", split=\"train\")\n```\n\n"
            f"| column | type | meaning |\n| --- | --- | --- |\n{table}\n\n"
            f"Element ids are the target's best recorded selector written as a string: `testid=VALUE`, "
            f"`role=ROLE[name=\"NAME\"]`, `label=TEXT`, `placeholder=TEXT`, `text=TEXT` or `css=SELECTOR`. URLs "
            f"are app-relative (`mail:/...`). Exported with `mockapps export --format hf`.\n")


def write(sources: list[ExportSource], path: Path, settings) -> Written:
    """Write the Parquet file (one trajectory at a time, so screenshots never all sit in memory) and the card."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = features().arrow_schema
    data = path / DATA_FILE
    data.parent.mkdir(parents=True)
    rows = 0
    with pq.ParquetWriter(data, schema) as writer:
        for source in sources:
            batch = [_row(source, record) for record in step_records(source)]
            if batch:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                rows += len(batch)
    (path / "README.md").write_text(card(sources, rows, data.stat().st_size), encoding="utf-8")
    return Written(rows)


FORMAT = ExportFormat("hf", "a Hugging Face datasets folder: Parquet, one row per step, with a dataset card",
                      directory=True, write=write, item="rows")
