"""The trajectory format: what a recording (by a trainer or an agent) is on disk, defined once."""

from trajectories.model import SCHEMA_VERSION, Action, Step, Target, Trajectory  # noqa: F401
from trajectories.store import TrajectoryDir, TrajectoryError, load  # noqa: F401
