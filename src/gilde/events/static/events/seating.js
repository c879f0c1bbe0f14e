// The seating plan in the browser: draws the tables from the page's JSON, and rescores the plan
// at once when a guest is dragged to another table or swapped (also by keyboard), by the same
// definition as the engine's objective (gilde/seating/objective.py): a pair's value is its listed
// value minus the sector weight when both share a sector; a good pair counts in the first round
// it shares a table, a bad pair in every round. Locks, undo, "why here?" and saving (which the
// server checks with the engine's checker) live here too.
"use strict";

(function () {
  function init() {
    const source = document.getElementById("seating-data");
    const root = document.getElementById("seat-tables");
    if (!source || !root || root.dataset.ready) return;
    root.dataset.ready = "1";
    const data = JSON.parse(source.textContent);
    const text = JSON.parse(document.getElementById("seating-text").textContent);
    const guests = new Map(data.guests.map(function (g, i) { g.index = i; return [g.id, g]; }));
    const tables = new Map(data.tables.map(function (t) { return [t.id, t]; }));
    const apart = data.apart.map(function (p) { return p; });
    let seats = data.seats.map(function (r) { return Object.assign({}, r); });
    let locked = new Set(data.locked);
    let round = 0;
    let picked = null;
    let dirty = false;
    const undo = [];
    const score = document.getElementById("seat-score");
    const goalsOut = document.getElementById("seat-goals");
    const violationsOut = document.getElementById("seat-violations");
    const status = document.getElementById("seat-status");
    const why = document.getElementById("seat-why");

    // Units: a group (a guest and companion, a guest and their host) moves as one.
    const units = new Map();
    data.guests.forEach(function (g) {
      const key = g.group || g.id;
      if (!units.has(key)) units.set(key, []);
      units.get(key).push(g.id);
    });
    function unitOf(gid) { const g = guests.get(gid); return units.get(g.group || g.id); }

    function pairValue(a, b) {
      const key = a < b ? a + "|" + b : b + "|" + a;
      let w = data.pairs[key] || 0;
      const sa = guests.get(a).sector;
      if (data.sectorWeight && sa && sa === guests.get(b).sector) w -= data.sectorWeight;
      return w;
    }

    function tablesOf(r) {
      const at = new Map();
      tables.forEach(function (_t, tid) { at.set(tid, []); });
      data.guests.forEach(function (g) {
        const tid = seats[r] && seats[r][g.id];
        if (tid && at.has(tid)) at.get(tid).push(g.id);
      });
      return at;
    }

    function evaluate() {
      const met = new Set();
      let total = 0;
      const seatValues = seats.map(function () { return new Map(); });
      for (let r = 0; r < seats.length; r++) {
        tablesOf(r).forEach(function (members) {
          for (let i = 0; i < members.length; i++) {
            for (let j = i + 1; j < members.length; j++) {
              const a = members[i], b = members[j];
              const w = pairValue(a, b);
              if (w > 0) {
                const key = a < b ? a + "|" + b : b + "|" + a;
                if (met.has(key)) continue;
                met.add(key);
              } else if (w === 0) continue;
              total += w;
              seatValues[r].set(a, (seatValues[r].get(a) || 0) + w);
              seatValues[r].set(b, (seatValues[r].get(b) || 0) + w);
            }
          }
        });
      }
      return { total: total, seatValues: seatValues };
    }

    function violations() {
      const out = [];
      for (let r = 0; r < seats.length; r++) {
        const where = seats.length > 1 ? text.round.replace("{n}", r + 1) + ": " : "";
        const at = tablesOf(r);
        data.guests.forEach(function (g) {
          if (!seats[r][g.id]) out.push(where + text.noSeat.replace("{name}", g.name));
        });
        at.forEach(function (members, tid) {
          const t = tables.get(tid);
          if (members.length > t.capacity) {
            out.push(where + text.tooMany.replace("{table}", t.label)
              .replace("{n}", members.length).replace("{seats}", t.capacity));
          }
          const hosts = members.filter(function (g) { return guests.get(g).host; }).length;
          if (data.hostMax !== null && hosts > data.hostMax) {
            out.push(where + text.hosts.replace("{table}", t.label).replace("{n}", hosts));
          }
        });
        units.forEach(function (members) {
          const at = new Set(members.map(function (g) { return seats[r][g]; }));
          if (members.length > 1 && at.size > 1) {
            out.push(where + text.split.replace("{names}", members.map(function (g) {
              return guests.get(g).name; }).join(", ")));
          }
        });
        apart.forEach(function (p) {
          if (seats[r][p[0]] && seats[r][p[0]] === seats[r][p[1]]) {
            out.push(where + text.apart.replace("{a}", guests.get(p[0]).name)
              .replace("{b}", guests.get(p[1]).name));
          }
        });
      }
      return out;
    }

    function goalsMet() {
      let met = 0;
      data.goals.forEach(function (goal) {
        let done = false;
        for (let r = 0; r < seats.length && !done; r++) {
          const count = new Map();
          goal.gids.forEach(function (g) {
            const t = seats[r][g];
            if (t) count.set(t, (count.get(t) || 0) + 1);
          });
          count.forEach(function (n) { if (n >= goal.needed) done = true; });
        }
        if (done) met += 1;
      });
      return met;
    }

    function shade(v) {
      if (v < 0) return "seat-bad";
      if (v === 0) return "seat-none";
      if (v < 10) return "seat-some";
      return "seat-good";
    }

    function render() {
      const started = performance.now();
      const result = evaluate();
      const broken = violations();
      const met = goalsMet();
      root.replaceChildren();
      tablesOf(round).forEach(function (members, tid) {
        const t = tables.get(tid);
        const card = document.createElement("article");
        card.className = "seat-table seat-" + t.shape + (members.length > t.capacity ? " seat-full" : "");
        card.dataset.table = tid;
        const head = document.createElement("button");
        head.type = "button";
        head.className = "seat-table-head outline";
        head.dataset.table = tid;
        head.textContent = t.label + " · " + members.length + "/" + t.capacity;
        head.setAttribute("aria-label", text.moveHere.replace("{table}", t.label));
        card.appendChild(head);
        const list = document.createElement("ul");
        members.sort(function (a, b) { return guests.get(a).name.localeCompare(guests.get(b).name); });
        members.forEach(function (gid) {
          const g = guests.get(gid);
          const value = result.seatValues[round].get(gid) || 0;
          const li = document.createElement("li");
          li.className = "seat-guest " + shade(value) + (picked === gid ? " seat-picked" : "");
          li.dataset.guest = gid;
          li.tabIndex = 0;
          li.draggable = !locked.has(gid);
          li.setAttribute("aria-label", g.name + ", " + text.value.replace("{v}", value)
            + (locked.has(gid) ? ", " + text.locked : ""));
          const name = document.createElement("span");
          name.textContent = (locked.has(gid) ? "🔒 " : "") + g.name + (g.host ? " ★" : "");
          const small = document.createElement("small");
          small.textContent = g.org;
          const val = document.createElement("b");
          val.textContent = String(Math.round(value * 10) / 10);
          li.append(name, val, small);
          list.appendChild(li);
        });
        card.appendChild(list);
        root.appendChild(card);
      });
      score.textContent = String(Math.round(result.total * 1000) / 1000);
      goalsOut.textContent = text.goals.replace("{met}", met).replace("{total}", data.goals.length);
      violationsOut.replaceChildren();
      broken.forEach(function (line) {
        const li = document.createElement("li");
        li.textContent = line;
        violationsOut.appendChild(li);
      });
      violationsOut.hidden = broken.length === 0;
      document.getElementById("seat-ok").hidden = broken.length !== 0;
      document.getElementById("seat-dirty").hidden = !dirty;
      const ms = performance.now() - started;
      score.dataset.ms = ms.toFixed(1);
      document.getElementById("seat-undo").disabled = undo.length === 0;
      const form = document.getElementById("seat-reoptimise-plan");
      if (form) form.value = JSON.stringify({ rounds: seats, locked: Array.from(locked) });
    }

    function change(fn) {
      undo.push({ seats: seats.map(function (r) { return Object.assign({}, r); }), locked: new Set(locked) });
      fn();
      dirty = true;
      render();
    }

    function moveUnit(gid, tid) {
      if (unitOf(gid).some(function (g) { return locked.has(g); })) { say(text.isLocked); return; }
      change(function () { unitOf(gid).forEach(function (g) { seats[round][g] = tid; }); });
      say(text.moved.replace("{name}", guests.get(gid).name).replace("{table}", tables.get(tid).label));
    }

    function swap(a, b) {
      const ua = unitOf(a), ub = unitOf(b);
      if (ua === ub) return;
      if (ua.concat(ub).some(function (g) { return locked.has(g); })) { say(text.isLocked); return; }
      const ta = seats[round][a], tb = seats[round][b];
      change(function () {
        ua.forEach(function (g) { seats[round][g] = tb; });
        ub.forEach(function (g) { seats[round][g] = ta; });
      });
      say(text.swapped.replace("{a}", guests.get(a).name).replace("{b}", guests.get(b).name));
    }

    function say(message) { status.textContent = message; }

    function focusGuest(gid) {
      const el = root.querySelector('[data-guest="' + gid + '"]');
      if (el) el.focus();
    }

    function pick(gid) {
      picked = picked === gid ? null : gid;
      render();
      if (picked) say(text.picked.replace("{name}", guests.get(gid).name));
      focusGuest(gid);
      document.getElementById("seat-selected").hidden = !picked;
      document.getElementById("seat-selected-name").textContent = picked ? guests.get(picked).name : "";
    }

    function act(target) {
      const guestEl = target.closest("[data-guest]");
      const tableEl = target.closest(".seat-table-head");
      if (guestEl && picked && picked !== guestEl.dataset.guest) {
        const a = picked; picked = null; swap(a, guestEl.dataset.guest); focusGuest(a);
      } else if (guestEl) {
        pick(guestEl.dataset.guest);
      } else if (tableEl && picked) {
        const a = picked; picked = null; moveUnit(a, tableEl.dataset.table); focusGuest(a);
      }
      document.getElementById("seat-selected").hidden = !picked;
    }

    root.addEventListener("click", function (e) { act(e.target); });
    root.addEventListener("keydown", function (e) {
      const guestEl = e.target.closest("[data-guest]");
      if (e.key === "Enter" || e.key === " ") {
        if (guestEl || e.target.closest(".seat-table-head")) { e.preventDefault(); act(e.target); }
      } else if (e.key === "Escape") {
        picked = null; render(); say("");
      } else if (guestEl && (e.key === "l" || e.key === "L")) {
        toggleLock(guestEl.dataset.guest);
      } else if (guestEl && (e.key === "w" || e.key === "?")) {
        explain(guestEl.dataset.guest);
      }
    });
    root.addEventListener("dragstart", function (e) {
      const guestEl = e.target.closest("[data-guest]");
      if (!guestEl) return;
      e.dataTransfer.setData("text/plain", guestEl.dataset.guest);
      e.dataTransfer.effectAllowed = "move";
    });
    root.addEventListener("dragover", function (e) {
      if (e.target.closest(".seat-table")) e.preventDefault();
    });
    root.addEventListener("drop", function (e) {
      e.preventDefault();
      const gid = e.dataTransfer.getData("text/plain");
      if (!guests.has(gid)) return;
      const onGuest = e.target.closest("[data-guest]");
      const onTable = e.target.closest(".seat-table");
      if (onGuest && onGuest.dataset.guest !== gid) swap(gid, onGuest.dataset.guest);
      else if (onTable && seats[round][gid] !== onTable.dataset.table) moveUnit(gid, onTable.dataset.table);
    });

    function toggleLock(gid) {
      const on = locked.has(gid);
      change(function () {
        unitOf(gid).forEach(function (g) { if (on) locked.delete(g); else locked.add(g); });
      });
      say((locked.has(gid) ? text.lockedNow : text.unlockedNow).replace("{name}", guests.get(gid).name));
      focusGuest(gid);
    }

    function csrf() {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    }

    function post(url, body) {
      return fetch(url, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify(body),
      });
    }

    function explain(gid) {
      post(root.dataset.whyUrl, { rounds: seats, locked: Array.from(locked), guest: gid, round: round })
        .then(function (r) { return r.text(); })
        .then(function (html) {
          why.innerHTML = html;  // the server's own template, escaped there
          why.hidden = false;
        });
    }

    document.getElementById("seat-undo").addEventListener("click", function () {
      const last = undo.pop();
      if (!last) return;
      seats = last.seats; locked = last.locked; dirty = true; render(); say(text.undone);
    });
    document.addEventListener("keydown", function (e) {
      if ((e.ctrlKey || e.metaKey) && e.key === "z" && document.getElementById("seat-tables")) {
        e.preventDefault(); document.getElementById("seat-undo").click();
      }
    });
    const lockButton = document.getElementById("seat-lock");
    if (lockButton) lockButton.addEventListener("click", function () { if (picked) toggleLock(picked); });
    document.getElementById("seat-why-button").addEventListener("click", function () {
      if (picked) explain(picked);
    });
    const saveButton = document.getElementById("seat-save");
    if (saveButton) {
      saveButton.addEventListener("click", function () {
        saveButton.setAttribute("aria-busy", "true");
        post(root.dataset.saveUrl, { rounds: seats, locked: Array.from(locked) })
          .then(function (r) { return r.json(); })
          .then(function (answer) {
            saveButton.removeAttribute("aria-busy");
            if (answer.error) { say(answer.error); return; }
            dirty = false;
            render();
            say(answer.message + " " + text.checked.replace("{score}", answer.objective));
            document.getElementById("seat-checked").textContent = String(answer.objective);
          });
      });
    }
    document.querySelectorAll("[data-round]").forEach(function (button) {
      button.addEventListener("click", function () {
        round = Number(button.dataset.round);
        document.querySelectorAll("[data-round]").forEach(function (b) {
          b.setAttribute("aria-pressed", String(b === button));
        });
        picked = null; render();
      });
    });
    window.gildeSeating = { render: render, evaluate: evaluate };
    render();
  }

  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:afterSettle", init);
})();
