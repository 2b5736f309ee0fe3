"""Workers and supervisory organizations: lookups, the org chart and search (reads only)."""

from __future__ import annotations

from sqlmodel import or_, select

from mock_apps.core.database import WorldSession
from mock_apps.people.errors import PeopleError, not_found
from mock_apps.people.models import Organization, Tenant, Worker


def tenant(db: WorldSession) -> Tenant:
    """The company's tenant row."""
    return db.exec(select(Tenant)).one()


def get(db: WorldSession, worker_id: str) -> Worker:
    """The worker with this employee id (or key), else a 404."""
    worker = db.get(Worker, worker_id) or by_key(db, worker_id)
    if worker is None:
        raise not_found("worker", worker_id)
    return worker


def by_key(db: WorldSession, key: str) -> Worker | None:
    """The worker with this company handle, or None."""
    return db.exec(select(Worker).where(Worker.key == key)).first()


def all_workers(db: WorldSession) -> list[Worker]:
    """Every worker, by last name."""
    return list(db.exec(select(Worker).order_by(Worker.last_name, Worker.first_name)))


def names(db: WorldSession) -> dict[str, Worker]:
    """Workers by id (one query, for pages that name many)."""
    return {w.id: w for w in db.exec(select(Worker))}


def direct_reports(db: WorldSession, worker_id: str) -> list[Worker]:
    """The workers whose manager this worker is."""
    return list(db.exec(select(Worker).where(Worker.manager_id == worker_id).order_by(Worker.last_name)))


def search(db: WorldSession, text: str) -> list[Worker]:
    """Workers whose name, title, email or employee id contains every word of `text`."""
    query = select(Worker)
    for word in text.split()[:6]:
        like = f"%{word}%"
        query = query.where(or_(Worker.first_name.ilike(like), Worker.last_name.ilike(like),
                                Worker.title.ilike(like), Worker.email.ilike(like), Worker.id.ilike(like)))
    return list(db.exec(query.order_by(Worker.last_name, Worker.first_name)))


def organizations(db: WorldSession) -> list[Organization]:
    """Every supervisory organization."""
    return list(db.exec(select(Organization).order_by(Organization.name)))


def organization(db: WorldSession, org_id: str) -> Organization:
    """The organization with this id, else a 404."""
    org = db.get(Organization, org_id)
    if org is None:
        raise not_found("supervisory organization", org_id)
    return org


def org_chart(db: WorldSession) -> list[tuple[int, Worker]]:
    """(depth, worker) in reporting order from the top, for an indented chart."""
    everyone = all_workers(db)
    below: dict[str | None, list[Worker]] = {}
    for w in everyone:
        below.setdefault(w.manager_id, []).append(w)
    chart: list[tuple[int, Worker]] = []

    def walk(manager_id, depth):
        for w in below.get(manager_id, []):
            chart.append((depth, w))
            walk(w.id, depth + 1)

    walk(None, 0)
    return chart


def chain(db: WorldSession, worker: Worker) -> list[Worker]:
    """The worker's management chain, nearest manager first."""
    found, seen = [], {worker.id}
    while worker.manager_id and worker.manager_id not in seen:
        worker = get(db, worker.manager_id)
        seen.add(worker.id)
        found.append(worker)
    return found


def require_manager_of(db: WorldSession, actor: Worker, worker: Worker) -> None:
    """Refuse unless `actor` is in `worker`'s management chain."""
    if actor.id not in {m.id for m in chain(db, worker)}:
        raise PeopleError(f"{actor.name} is not a manager of {worker.name}.", status=403, code="forbidden")
