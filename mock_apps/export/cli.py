"""`mockapps export --format FORMAT --out PATH [TRAJECTORY_DIR ...] [--all]`."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path


def cmd_export(args) -> int:
    """Export trajectories; 0 when written, 1 when there was nothing to export, 2 on bad input."""
    from mock_apps.core.settings import Settings
    from mock_apps.export import ExportError, export_trajectories

    settings = Settings()
    if getattr(args, "data", None):
        settings = replace(settings, data_dir=Path(args.data).resolve())
    try:
        result = export_trajectories(args.dirs, args.format, args.out, include_all=args.all, settings=settings)
    except ExportError as error:
        if error.code != "nothing_to_export":
            raise  # the command line prints it and exits 2
        print(f"mockapps: {error.message}", file=sys.stderr)
        return 1
    skipped = result.skipped_line()
    if skipped:
        print(skipped + "".join(f"\n  {path}: {problem}" for path, problem in result.unreadable), file=sys.stderr)
    for note in result.notes:
        print(note, file=sys.stderr)
    left = f", {len(result.not_accepted)} not accepted left out" if result.not_accepted else ""
    print(f"exported {len(result.exported)} of {result.found} trajectories as {result.format} "
          f"({result.items} {result.item}{left}) to {result.out}")
    return 0


def register(subparsers) -> None:
    """Add `export` to the mockapps command line."""
    from mock_apps.export import FORMATS

    parser = subparsers.add_parser(
        "export", help="export trajectories to training formats",
        description="Export trajectories (only accepted ones unless --all) to a training format: "
        + "; ".join(f"{f.name}: {f.summary}" for f in FORMATS.values()) + ". See docs/EXPORT.md.")
    parser.add_argument("dirs", nargs="*", metavar="TRAJECTORY_DIR",
                        help="trajectory directories, or folders of them (default: the configured trajectory "
                        "folders, $MOCKAPPS_TRAJECTORIES and the tasks' golden ones)")
    # not argparse choices: an unknown name gets the list of known ones through ExportError (exit 2)
    parser.add_argument("--format", required=True, metavar="FORMAT", help=", ".join(FORMATS))
    parser.add_argument("--out", required=True, metavar="PATH",
                        help="output file (sft-jsonl, chat-jsonl) or folder (playwright, hf, devtools)")
    parser.add_argument("--all", action="store_true", help="every complete trajectory, reviewed or not")
    parser.set_defaults(func=cmd_export)
