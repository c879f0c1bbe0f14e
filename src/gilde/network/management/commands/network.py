"""gilde network reach|paths|brokers|risk|communities|variety|conflicts [--member USER] [--json],
gilde network export --member USER --format graphml|gexf -o FILE: network intelligence from
the command line, answered from the member's visible graph (without --member: as the first
network manager sees it, the whole network)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gilde.accounts.models import Member
from gilde.network import conflicts, diversity, groups, introductions, maps, report, selectors
from gilde.network.loader import network_graph_build
from gilde.relations.models import Organisation, Person
from gilde.visibility import members


class Command(BaseCommand):
    help = "Reach, warm introduction paths, brokers and concentration risk of the network."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "what",
            choices=[
                "reach",
                "paths",
                "brokers",
                "risk",
                "communities",
                "variety",
                "conflicts",
                "export",
                "build",
            ],
        )
        parser.add_argument("--member", help="login name: answer as (and for) this member")
        parser.add_argument("--department", help="reach: of this department")
        parser.add_argument("--to", type=int, help="paths: the person id to reach")
        parser.add_argument("--to-organisation", type=int, help="paths: the organisation id")
        parser.add_argument("--limit", type=int, default=20, help="rows at most (default 20)")
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument(
            "--format",
            choices=maps.EXPORT_FORMATS,
            default="graphml",
            help="export: graphml (default) or gexf",
        )
        parser.add_argument("-o", "--output", help="export: the file to write")

    def member(self, login: str | None) -> Member:
        qs = Member.objects.select_related("user").filter(user__is_active=True)
        if login:
            found = qs.filter(user__username=login).first()
            if found is None:
                raise CommandError(f"No member with login name {login!r}.")
            return found
        found = qs.filter(role__in=["network_manager", "administrator"]).first()
        if found is None:
            raise CommandError(
                "There is no network manager or administrator to read the network as."
            )
        return found

    def answer(self, what: str, options: dict[str, Any]) -> Any:
        asking = self.member(options["member"])
        user = asking.user
        department = options["department"]
        if department is not None and not members(user).filter(department=department).exists():
            # A typo would report a department of nobody as zeros.
            raise CommandError(f"--department: no colleague works in {department!r}.")
        limit = max(1, options["limit"])
        if what == "build":
            stored = network_graph_build()
            return {"nodes": len(stored.data.kinds), "edges": len(stored.data.sources)}
        if what == "reach":
            own = asking if options["member"] else None
            found = selectors.reach(user, member=own, department=options["department"])
            return report.reach_data(found)
        if what == "paths":
            try:
                if options["to"] is not None:
                    target: dict[str, Any] = {"person": selectors.person_for(user, options["to"])}
                elif options["to_organisation"] is not None:
                    target = {
                        "organisation": selectors.organisation_for(user, options["to_organisation"])
                    }
                else:
                    raise CommandError("Say whom to reach: --to PERSON_ID or --to-organisation ID.")
            except (Person.DoesNotExist, Organisation.DoesNotExist) as exc:
                raise CommandError("No such person or organisation (for this member).") from exc
            return [report.path_data(p) for p in introductions.warm_paths(user, **target)]
        if what == "brokers":
            return report.brokers_data(selectors.brokers(user, top=limit))
        if what == "communities":
            from gilde.network.loader import communities_for

            communities_for(user, wait=True)  # the command line waits rather than queue
            return report.communities_data(groups.communities(user, top=limit))
        if what == "variety":
            own = asking if options["member"] else None
            mix = diversity.variety(user, member=own, department=options["department"])
            return report.variety_data(mix)
        if what == "conflicts":
            return report.conflicts_data(conflicts.conflicts_report(user))
        own = asking if options["member"] else None
        return [report.risk_data(r) for r in selectors.concentration(user, member=own, limit=limit)]

    def export(self, options: dict[str, Any]) -> None:
        if not options["output"]:
            raise CommandError("Say where to write the file: -o FILE.")
        user = self.member(options["member"]).user
        body = maps.graph_export(user, file_format=options["format"])
        try:
            with open(options["output"], "wb") as out:
                out.write(body)
        except OSError as exc:
            raise CommandError(f"Cannot write {options['output']}: {exc.strerror}.") from exc
        self.stdout.write(f"Network written to {options['output']} ({options['format']}).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "export":
            self.export(options)
            return
        data = self.answer(options["what"], options)
        if options["json"]:
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
            return
        self.stdout.write(self.text(options["what"], data))

    def text(self, what: str, data: Any) -> str:
        if what in ("communities", "variety", "conflicts"):
            return self.more_text(what, data)
        if what == "build":
            return f"Network graph read: {data['nodes']} nodes, {data['edges']} edges."
        if what == "reach":
            return (
                f"Reach of {data['label']} ({data['colleagues']} colleagues)\n"
                f"  first degree:  {data['first_persons']} persons, {data['first_organisations']} organisations\n"
                f"  second degree: {data['second_persons']} persons, {data['second_organisations']} organisations\n"
                f"  efficiency:    {data['efficiency']} new persons per direct contact\n"
                f"  overlap:       {data['overlap']:.0%} of direct contacts known by 2+ colleagues"
            )
        if what == "paths":
            if not data:
                return "No warm path within four steps."
            lines = []
            for p in data:
                lines.append(f"{p['number']}. {p['route']}  ({p['score']:.0%})")
                lines += [f"     {s['text']}" for s in p["steps"]]
            return "\n".join(lines)
        if what == "brokers":
            rows = [("colleagues", "Colleagues:"), ("relations", "Relations:")]
            lines = []
            for key, title in rows:
                lines.append(title)
                lines += [
                    f"  {b['name'][:40]:40} ties {b['degree']:>5}  betweenness {b['betweenness']:>12}  constraint {b['constraint']:.3f}"
                    for b in data[key]
                ]
            if data["betweenness_sampled"]:
                lines.append(
                    f"(betweenness sampled, typical relative error {data['betweenness_relative_error']:.0%})"
                )
            return "\n".join(lines)
        lines = [f"{len(data)} key relations known by one colleague only"]
        for r in data:
            proposed = r["proposed"]["name"] if r["proposed"] else "—"
            lines.append(
                f"  {r['tier'] or '-'} {r['person']['name'][:36]:36} only {r['known_only_by']['name'][:24]:24} → {proposed}"
            )
        return "\n".join(lines)

    def more_text(self, what: str, data: Any) -> str:
        if what == "communities":
            lines = [f"{data['communities']} communities, modularity {data['modularity']}"]
            lines += [
                f"  {c['number']:>3}. {c['label'][:60]:60} {c['persons']:>6} persons"
                for c in data["largest"]
            ]
            lines.append("Colleagues who bridge communities:")
            lines += [
                f"  {b['name'][:40]:40} {b['communities']:>3} communities, spread "
                f"{b['participation']:.2f}"
                for b in data["bridges"]
            ]
            return "\n".join(lines)
        if what == "variety":
            lines = [
                f"Variety of {data['label']}: {data['persons']} persons, {data['ties']} ties, "
                f"{data['weak_share']:.0%} weak, {data['strong_share']:.0%} strong"
            ]
            lines += [
                f"  {d['key']:8} Blau {d['blau']:.2f} (organisation "
                f"{d['organisation_blau']:.2f}), Shannon {d['shannon']:.2f}"
                for d in data["dimensions"]
            ]
            return "\n".join(lines)
        lines = [f"{len(data['pairs'])} recorded conflict pairs"]
        lines += [f"  {p['a']['name']} ↔ {p['b']['name']}: {p['reason']}" for p in data["pairs"]]
        lines += [f"  [{r['rule']}] {r['reason']}" for r in data["organisations"]]
        lines += [
            f"  [opposite_roles] {t['theme']}: "
            f"{', '.join(x['name'] for x in t['critics'])} ↔ "
            f"{', '.join(x['name'] for x in t['partners'])}"
            for t in data["themes"]
        ]
        return "\n".join(lines)
