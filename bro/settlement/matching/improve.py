"""Local search after LP rounding: fill the seats rounding leaves empty, household by household.

Rounding the LP keeps the households it places whole and re-places the split ones; what is lost is mostly
seats left empty in the attractive, full municipalities (the LP filled them with fractions of households)
and split households pushed to a worse place. Three moves win most of it back, each applied only when it
raises the objective and keeps every capacity:

- *relocate*: a household (placed or not) moves to a municipality that has room for it;
- *swap*: two households in different municipalities change places (one may be unplaced);
- *eject*: a household moves into a full municipality, and one household there moves on to the best
  other municipality that has room for it.

Pure numpy; no solver. Used by ``solve`` between rounding and the (slower) MIP over pruned pairs, which
only runs if the target gap is not yet reached. Capacities by housing units are not handled here (the
caller skips the local search when an instance has them).
"""

from __future__ import annotations

import time

import numpy as np

EPS = 1e-9


class _State:
    def __init__(self, model, instance, chosen: np.ndarray):
        H = model.n_households
        M = len(instance.municipalities)
        self.H, self.M = H, M
        self.V = np.full((H, M), -np.inf)
        self.V[model.rows, model.cols] = -model.cost  # gain plus the placement bonus
        self.pair = np.full((H, M), -1, dtype=np.int64)
        self.pair[model.rows, model.cols] = np.arange(model.n_pairs)
        self.s = instance.sizes.astype(np.int64)
        self.mn = instance.minors.astype(np.int64)
        self.a = np.full(H, -1, dtype=np.int64)
        self.a[model.rows[chosen]] = model.cols[chosen]
        placed = self.a >= 0
        self.rp = model.ub[H : H + M] - np.bincount(self.a[placed], weights=self.s[placed], minlength=M)
        self.rm = model.ub[H + M : H + 2 * M] - np.bincount(
            self.a[placed], weights=self.mn[placed], minlength=M
        )
        self.cur = np.where(placed, self.V[np.arange(H), np.maximum(self.a, 0)], 0.0)
        self.members: list[set[int]] = [set() for _ in range(M)]
        for i in np.flatnonzero(placed):
            self.members[self.a[i]].add(int(i))

    def move(self, i: int, k: int) -> None:
        """Household i to municipality k (-1: unplaced)."""
        j = self.a[i]
        if j >= 0:
            self.rp[j] += self.s[i]
            self.rm[j] += self.mn[i]
            self.members[j].discard(i)
        if k >= 0:
            self.rp[k] -= self.s[i]
            self.rm[k] -= self.mn[i]
            self.members[k].add(i)
        self.a[i] = k
        self.cur[i] = self.V[i, k] if k >= 0 else 0.0

    def fits(self, i: int, k: int) -> bool:
        return self.rp[k] >= self.s[i] and self.rm[k] >= self.mn[i]

    def objective(self) -> float:
        return float(self.cur.sum())

    def chosen(self) -> np.ndarray:
        placed = np.flatnonzero(self.a >= 0)
        return self.pair[placed, self.a[placed]]


def _room(state: _State) -> np.ndarray:
    return (state.rp[None, :] >= state.s[:, None]) & (state.rm[None, :] >= state.mn[:, None])


def _relocate(state: _State) -> int:
    gain = np.where(_room(state), state.V - state.cur[:, None], -np.inf)
    best = np.argmax(gain, axis=1)
    best_gain = gain[np.arange(state.H), best]
    moved = 0
    for i in np.flatnonzero(best_gain > EPS)[np.argsort(-best_gain[best_gain > EPS], kind="stable")]:
        k = int(best[i])
        if state.fits(int(i), k) and state.V[i, k] - state.cur[i] > EPS:
            state.move(int(i), k)
            moved += 1
    return moved


def _exchange(state: _State, per_household: int) -> int:
    """Swaps and ejections towards each household's most wanted municipalities that lack room."""
    room = _room(state)
    # Where each household would go on its own: the best municipality with room other than its own.
    alone = np.where(room, state.V, -np.inf)
    placed = state.a >= 0
    alone[np.flatnonzero(placed), state.a[placed]] = -np.inf
    alone_best = np.argmax(alone, axis=1)
    alone_value = np.maximum(alone[np.arange(state.H), alone_best], 0.0)  # unplaced is always possible

    want = np.where(~room, state.V - state.cur[:, None], -np.inf)
    if per_household < state.M:
        top = np.argpartition(-want, per_household, axis=1)[:, :per_household]
    else:
        top = np.tile(np.arange(state.M), (state.H, 1))
    wanted = want[np.arange(state.H)[:, None], top]
    rows, slots = np.nonzero(wanted > EPS)
    order = np.argsort(-wanted[rows, slots], kind="stable")
    changed = 0
    s, mn, V = state.s, state.mn, state.V
    for r in order:
        i, k = int(rows[r]), int(top[rows[r], slots[r]])
        j = int(state.a[i])
        if j == k or state.V[i, k] - state.cur[i] <= EPS:
            continue
        others = np.fromiter(state.members[k], dtype=np.int64)
        if not len(others):
            continue
        gain_in = V[i, k] - state.cur[i]
        # k must have room for i once e has left.
        ok_k = (state.rp[k] + s[others] >= s[i]) & (state.rm[k] + mn[others] >= mn[i])
        if j >= 0:  # swap: e takes i's place in j
            ok_swap = ok_k & (state.rp[j] + s[i] >= s[others]) & (state.rm[j] + mn[i] >= mn[others])
            swap_gain = np.where(ok_swap, gain_in + V[others, j] - state.cur[others], -np.inf)
        else:  # i was unplaced: e becomes unplaced
            swap_gain = np.where(ok_k, gain_in - state.cur[others], -np.inf)
        target = alone_best[others]
        eject_gain = np.where(
            ok_k & (target != j) & (target != k), gain_in + alone_value[others] - state.cur[others], -np.inf
        )
        e_swap, e_eject = int(np.argmax(swap_gain)), int(np.argmax(eject_gain))
        if max(swap_gain[e_swap], eject_gain[e_eject]) <= EPS:
            continue
        if swap_gain[e_swap] >= eject_gain[e_eject]:
            e = int(others[e_swap])
            state.move(e, -1)
            state.move(i, k)
            if j >= 0:
                state.move(e, j)
        else:
            e = int(others[e_eject])
            m = int(target[e_eject])
            if alone_value[e] > 0 and not state.fits(e, m):
                continue  # stale: the room at m was taken meanwhile
            state.move(e, m if alone_value[e] > 0 else -1)
            if not state.fits(i, k):  # cannot happen after the check above; keep the state whole
                state.move(e, k)
                continue
            state.move(i, k)
        changed += 1
    return changed


def _knapsack(weights: np.ndarray, sizes: np.ndarray, capacity: int) -> np.ndarray:
    """0/1 knapsack by dynamic programming over the capacity: which items to take (boolean)."""
    n = len(weights)
    capacity = max(int(capacity), 0)
    best = np.zeros(capacity + 1)
    take = np.zeros((n, capacity + 1), dtype=bool)
    for t in range(n):
        w, c = weights[t], int(sizes[t])
        if w <= 0 or c > capacity:
            continue
        candidate = np.full(capacity + 1, -np.inf)
        candidate[c:] = best[: capacity + 1 - c] + w
        better = candidate > best + EPS
        take[t] = better
        best = np.where(better, candidate, best)
    chosen = np.zeros(n, dtype=bool)
    room = int(np.argmax(best))
    for t in range(n - 1, -1, -1):
        if take[t, room]:
            chosen[t] = True
            room -= int(sizes[t])
    return chosen


def _repack(state: _State, k: int, alone_best: np.ndarray, alone_value: np.ndarray, candidates: int) -> float:
    """Choose anew which households fill municipality ``k`` (a knapsack over its persons), ejecting the
    others to the best place with room they have. Returns the gain (0 when nothing better was found)."""
    s, V = state.s, state.V
    inside = np.fromiter((i for i in state.members[k] if state.mn[i] == 0), dtype=np.int64)
    want = V[:, k] - state.cur
    want[state.a == k] = -np.inf
    want[state.mn > 0] = -np.inf
    outside = np.flatnonzero(want > EPS)
    if not len(outside):
        return 0.0
    outside = outside[np.argsort(-want[outside], kind="stable")[:candidates]]
    eject_value = np.where(alone_best[inside] == k, 0.0, alone_value[inside])
    weights = np.concatenate([V[inside, k] - eject_value, want[outside]])
    sizes = np.concatenate([s[inside], s[outside]])
    capacity = int(state.rp[k] + s[inside].sum())
    take = _knapsack(weights, sizes, capacity)
    current = float((V[inside, k] - eject_value).sum())
    if weights[take].sum() <= current + 1e-7:
        return 0.0
    before = state.objective()
    journal = [(int(i), int(state.a[i])) for i in np.concatenate([inside, outside])]
    leaving = inside[~take[: len(inside)]]
    entering = outside[take[len(inside) :]]
    for i in leaving:
        m = int(alone_best[i])
        state.move(int(i), m if alone_value[i] > 0 and m != k and state.fits(int(i), m) else -1)
    ok = True
    for i in entering:
        state.move(int(i), -1)
    for i in entering:
        if not state.fits(int(i), k):
            ok = False
            break
        state.move(int(i), k)
    if ok and state.objective() > before + 1e-7:
        return state.objective() - before
    for i, _place in reversed(journal):  # undo
        state.move(i, -1)
    for i, place in journal:
        if place >= 0:
            state.move(i, place)
    return 0.0


def _repack_all(state: _State, candidates: int = 80) -> int:
    room = _room(state)
    # Where each household would go if pushed out: the best other municipality with room (refreshed
    # once per pass; a repack whose ejections no longer fit is undone).
    alone = np.where(room, state.V, -np.inf)
    placed = state.a >= 0
    alone[np.flatnonzero(placed), state.a[placed]] = -np.inf
    alone_best = np.argmax(alone, axis=1)
    alone_value = np.maximum(alone[np.arange(state.H), alone_best], 0.0)
    pressure = np.where(~room, np.maximum(state.V - state.cur[:, None], 0), 0).sum(axis=0)
    improved = 0
    for k in np.argsort(-pressure):
        if pressure[k] <= EPS:
            break
        if _repack(state, int(k), alone_best, alone_value, candidates) > 0:
            improved += 1
    return improved


def _descend(state: _State, deadline: float, stop_gain: float, passes: list) -> None:
    """Relocate and repack until neither helps (swaps and ejections once they stall)."""
    per_household = 3
    while time.perf_counter() < deadline and state.objective() < stop_gain:
        before = state.objective()
        moved = _relocate(state)
        repacked = _repack_all(state) if state.objective() < stop_gain else 0
        changed = 0
        if state.objective() < stop_gain and time.perf_counter() < deadline:
            changed = _exchange(state, per_household)
        passes.append((moved, repacked, changed))
        if state.objective() - before <= 1e-7:
            if per_household >= 12:
                break
            per_household *= 2  # look further down each household's wish list


def improve(
    model, instance, chosen: np.ndarray, *, deadline: float, stop_gain: float, log: dict
) -> np.ndarray:
    """Hill-climb from the pairs ``chosen`` until no move helps, ``stop_gain`` is reached or the deadline."""
    state = _State(model, instance, chosen)
    passes: list = []
    _descend(state, deadline, stop_gain, passes)
    log["local_search"] = {"passes": passes, "objective": state.objective()}
    return state.chosen()
