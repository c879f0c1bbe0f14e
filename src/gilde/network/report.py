"""The network answers as plain data, one shape for the API and the command line."""

from __future__ import annotations

from typing import Any

from .introductions import WarmPath
from .selectors import BrokerReport, Loss, ReachReport, Risk


def who(subject: Any) -> dict[str, Any]:
    from gilde.accounts.models import Member
    from gilde.relations.models import Person

    if isinstance(subject, Member):
        return {"type": "member", "id": subject.pk, "name": subject.name}
    if isinstance(subject, Person):
        return {"type": "person", "id": subject.pk, "name": subject.full_name}
    return {"type": "organisation", "id": subject.pk, "name": subject.name}


def reach_data(report: ReachReport) -> dict[str, Any]:
    def parts(rows: list[Any]) -> list[dict[str, Any]]:
        return [{"label": r.label, "first": r.first, "second": r.second} for r in rows]

    return {
        "label": report.label,
        "colleagues": report.colleagues,
        "first_persons": report.first_persons,
        "second_persons": report.second_persons,
        "first_organisations": report.first_organisations,
        "second_organisations": report.second_organisations,
        "efficiency": round(report.efficiency, 2),
        "overlap": round(report.overlap, 3),
        "by_tier": parts(report.by_tier),
        "by_stakeholder_type": parts(report.by_type),
        "by_sector": parts(report.by_sector),
        "graph_built_at": report.built_at.isoformat() if report.built_at else None,
    }


def loss_data(loss: Loss) -> dict[str, Any]:
    return {
        "label": loss.label,
        "first_persons": loss.first_persons,
        "second_persons": loss.second_persons,
        "organisations": loss.organisations,
        "only_known_by": [who(p) for p in loss.only_known_by],
    }


def path_data(path: WarmPath) -> dict[str, Any]:
    return {
        "number": path.number,
        "colleague": who(path.colleague),
        "score": round(path.score, 4),
        "route": path.route,
        "steps": [{"text": s.text, "to": who(s.to)} for s in path.steps],
        "intermediaries": [
            {
                **who(i.person),
                "last_contact": i.last_contact.isoformat() if i.last_contact else None,
                "status": i.status,
            }
            for i in path.intermediaries
        ],
    }


def risk_data(risk: Risk) -> dict[str, Any]:
    return {
        "person": who(risk.person),
        "tier": risk.person.tier.code if risk.person.tier else None,
        "known_only_by": who(risk.colleague),
        "proposed": who(risk.proposed) if risk.proposed else None,
        "proposed_path_score": risk.path_percent / 100 if risk.path_percent is not None else None,
    }


def brokers_data(report: BrokerReport) -> dict[str, Any]:
    def rows(items: list[Any]) -> list[dict[str, Any]]:
        return [
            {**who(b.subject), "degree": b.degree, "weighted_degree": b.weighted_degree,
             "betweenness": b.betweenness, "constraint": b.constraint}
            for b in items
        ]  # fmt: skip

    return {
        "colleagues": rows(report.colleagues),
        "relations": rows(report.relations),
        "betweenness_sampled": report.sampled,
        "betweenness_relative_error": report.relative_error,
    }


def communities_data(found: Any) -> dict[str, Any]:
    return {
        "ready": found.ready,
        "modularity": found.modularity,
        "communities": found.total,
        "largest": [
            {"number": c.number, "label": c.label, "persons": c.persons,
             "colleagues": [who(m) for m in c.colleagues],
             "sectors": [{"sector": name, "persons": n} for name, n in c.sectors],
             "organisations": [{**who(o), "persons": n} for o, n in c.organisations]}
            for c in found.rows
        ],
        "bridges": [
            {**who(b.colleague), "home": b.home, "communities": b.communities,
             "participation": b.participation}
            for b in found.bridges
        ],
    }  # fmt: skip


def variety_data(found: Any) -> dict[str, Any]:
    return {
        "label": found.label,
        "persons": found.persons,
        "ties": found.ties,
        "weak_share": round(found.weak_share, 3),
        "strong_share": round(found.strong_share, 3),
        "organisation_weak_share": round(found.organisation_weak_share, 3),
        "organisation_strong_share": round(found.organisation_strong_share, 3),
        "dimensions": [
            {"key": d.key, "shannon": d.shannon, "blau": d.blau,
             "organisation_blau": d.organisation_blau,
             "shares": [{"label": r.label, "percent": r.share, "organisation_percent":
                         r.organisation} for r in d.rows]}
            for d in found.dimensions
        ],
        "unlike_the_rest": [{**who(p), "score": score} for p, score in found.unlike],
    }  # fmt: skip


def conflicts_data(found: Any) -> dict[str, Any]:
    return {
        "pairs": [
            {"a": who(a), "b": who(b), "reason": reason} for a, b, reason in found.explicit
        ],
        "organisations": [
            {"rule": r.rule, "reason": r.reason,
             "source": who(r.link.source), "target": who(r.link.target),
             "source_persons": [who(p) for p in r.source_persons],
             "target_persons": [who(p) for p in r.target_persons]}
            for r in found.organisations
        ],
        "themes": [
            {"theme": t.theme, "critics": [who(x) for x in t.critics],
             "partners": [who(x) for x in t.partners], "critics_total": t.critics_total,
             "partners_total": t.partners_total}
            for t in found.themes
        ],
    }  # fmt: skip
