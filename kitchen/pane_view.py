"""KitchenView: one animated kitchen (a pane) drawn with QGraphicsScene, played from a Timeline.

The window shows one KitchenView per scenario pane and, every frame, calls
``show_snapshot`` (new targets for every item) and then ``advance_tween`` (move
items a step toward them). Items are created once per kitchen size and reused;
``pane_plan`` decides with numpy which few chefs and tickets are drawn and how
many more are counted in stacks, so a 100 000-ticket kitchen costs the same per
frame as a small one. The scene is a fixed 1000 units wide and is fitted into
the view, so text and lines scale with the window.

What never changes after a build (region floors, stove bodies, the title, the
door) lives in a second scene, the backdrop, which the view paints once into
its cached background; a frame repaints only what moved or changed on top.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QToolTip

from engine.timeline import (K_BLOCKED, K_EXITED, U_BLOCKED, U_FINISHED, U_KILLED, U_PARKED, U_PENDING, U_REFUSED,
                             U_STUCK, U_WAIT_LOCK, Snapshot, Timeline)
from kitchen import palette, pane_text
from kitchen.items import (ROLE_KEY, SLOT_KEY, ChefItem, Label, Region, StackItem, StoveItem, TicketItem,
                           rounded_box, svg_icon)
from kitchen.legend import legend_html
from kitchen.overlays import CLOSED_LOOK, DEADLOCK_LOOK, FROST_LOOK, PaneOverlay, PantryShelf
from kitchen.pane_layout import DEFAULT_HEIGHT, WIDTH, PaneLayout, compute_layout, scene_height_for
from kitchen.pane_marks import EventMarks
from kitchen.pane_plan import Capacities, FramePlan, plan_frame
from kitchen.tween import Pool

MAX_DRAWN_STOVES = 64
STACKS = (("bench", "chefs", "on the bench (kernel run queue: ready kernel threads)"),
          ("oven", "waiting", "at the oven (blocked kernel threads, and tickets in the event loop's wait set)"),
          ("waiting", "chefs", "in the waiting spot (idle kernel threads)"),
          ("rail", "tickets", "on the ticket rail (user-level run queue: ready user threads)"))
PRESENTER_SCALE = 1.75  # type and lines in presenter mode, read from the back of a lecture hall
RELAYOUT_TOLERANCE = 0.06  # relayout when the view's aspect changes the scene height by more than this


class KitchenView(QGraphicsView):
    """One kitchen pane: stoves, chefs, tickets, bench, oven, rail, pantry and the frozen look."""

    inspected = Signal(str)  # HTML description of the chef, ticket or stove the user clicked

    def __init__(self, timeline: Timeline, title: str, parent=None, build_at_first_paint: bool = False) -> None:
        """``build_at_first_paint``: a pane in a window not shown yet is built once, at its final size."""
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.scene().setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.backdrop = QGraphicsScene(self)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
                            | QPainter.RenderHint.SmoothPixmapTransform)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        self.setBackgroundBrush(palette.qcolour(palette.PAPER))
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate)
        self._ui = 1.0
        self.presenting = False
        self._height = DEFAULT_HEIGHT
        self._snapshot: Snapshot | None = None
        self._frozen = False
        self._stuck_process = -1  # the process a deadlock stopped for good, or -1
        self._culprits: list[QRectF] = []  # where the chefs and tickets an overlay is about stand (kept in view)
        self._drawn_tickets: tuple[np.ndarray, list[int]] | None = None  # ids and pool slots of the tickets drawn
        self._known_chefs = 0
        self.last_frame: dict[str, int] = {}
        self._waiting_for_paint = build_at_first_paint
        self._unbuilt = True  # the picture is not built for the current run, size or mode yet
        self.set_timeline(timeline, title)

    # ----- public API ---------------------------------------------------------------------------

    def set_timeline(self, timeline: Timeline, title: str) -> None:
        """Show a new run (rebuilt after an edit, or a new lesson): rebuild the kitchen for its size."""
        self.timeline = timeline
        self.title = pane_text.scoped_title(title, timeline) if title else pane_text.default_title(timeline)
        self.bound = pane_text.one_chef_per_ticket(timeline.processes[0])
        self.tasks = timeline.task_names(0)
        self._snapshot = None
        self._known_chefs = 0
        self.marks = EventMarks(timeline)
        self._build_soon()

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Give every drawn item its new target (cheap; items glide there in ``advance_tween``)."""
        if self._unbuilt:
            self._snapshot = snapshot  # shown when the kitchen is built
            return
        if self._nothing_happened_since_last(snapshot):
            self._show_time_passing(snapshot)
            return
        self._snapshot = snapshot
        self._frozen = snapshot.frozen(0)
        deadlock = pane_text.deadlock_at(self.timeline, snapshot.t)
        self._stuck_process = -1 if deadlock is None else getattr(deadlock.info, "process", 0)
        self._culprits = []
        self.marks.update(snapshot.t)
        plan = plan_frame(snapshot, self._room)
        self._show_stoves(plan)
        chef_slots = self._place_chefs(snapshot, plan)
        self._place_tickets(snapshot, plan, chef_slots)
        self._show_counts(snapshot, plan)
        self.pantry.show_memory(snapshot.process_memory_kib[0] if snapshot.process_memory_kib else 0,
                                snapshot.refused)
        self._show_frost(snapshot)
        self._show_deadlock(deadlock)
        self._show_terminated(snapshot)
        self._known_chefs = len(snapshot.k_state)
        self.last_frame = {"chefs": self.chefs.drawn, "tickets": self.tickets.drawn}

    def _nothing_happened_since_last(self, snapshot: Snapshot) -> bool:
        """No event between the snapshot shown last and this later one: only bars, countdowns and clocks move."""
        last = self._snapshot
        if last is None or self._drawn_tickets is None or snapshot.t < last.t:
            return False
        upcoming = self.timeline.next_event_time(last.t)
        return upcoming is None or upcoming > snapshot.t

    def _show_time_passing(self, snapshot: Snapshot) -> None:
        """The cheap frame between events: progress bars, countdowns and the frost's "back in"."""
        self._snapshot = snapshot
        self.marks.update(snapshot.t)
        self._show_progress(snapshot, *self._drawn_tickets)
        if self._frozen:
            self.frost.show_caption(*pane_text.frozen_caption(snapshot), self._culprits)

    def advance_tween(self, dt_s: float) -> None:
        """Move chefs and tickets a step toward their targets (about 200 ms to arrive; no teleporting)."""
        if self._unbuilt:
            return
        self.chefs.advance(dt_s)
        self.tickets.advance(dt_s)
        for chef in self.marks.tick(dt_s):
            if chef in self.chefs.slot_of:
                self.chefs.items[self.chefs.slot_of[chef]].set_mark("")
        for chef, mark in self.marks.marks.items():
            if chef in self.chefs.slot_of:
                self.chefs.items[self.chefs.slot_of[chef]].swing(mark.left_s)
        self.last_frame["moved"] = self.chefs.moved + self.tickets.moved

    def set_presenter(self, on: bool) -> None:
        """Presenter mode for projectors: bigger type, thicker lines, fewer words (no subtitle, short headings)."""
        if on != self.presenting:
            self.presenting = on
            self._ui = PRESENTER_SCALE if on else 1.0
            self._build_soon()

    def legend_html(self) -> str:
        """The kitchen-to-OS legend as HTML (also shown when hovering the pane's "?" badge)."""
        return legend_html()

    def glowing_stoves(self) -> int:
        """How many stoves glow (a chef cooks on them) in the picture."""
        self._ensure_built()
        return sum(stove.busy for stove in self.stoves)

    def frozen_shown(self) -> bool:
        """Whether the frost overlay (whole process frozen) is showing."""
        self._ensure_built()
        return self.frost.shown

    def deadlock_shown(self) -> bool:
        """Whether the deadlock overlay (nobody can ever continue) is showing."""
        self._ensure_built()
        return self.deadlock.shown

    def describe_item(self, item) -> str:
        """Tooltip/inspector text for a scene item (a chef, ticket, stove, stack or region), or ''."""
        while item is not None and item.data(ROLE_KEY) is None:
            item = item.parentItem()
        if item is None or self._snapshot is None:
            return ""
        role, slot = item.data(ROLE_KEY), item.data(SLOT_KEY)
        if role == "stack":
            return item.describe()
        describe = {"chef": self._describe_chef, "ticket": self._describe_ticket,
                    "stove": lambda s: pane_text.describe_stove(self._snapshot, self.timeline, s)}.get(role)
        return describe(slot) if describe else item.toolTip()

    # ----- building the kitchen -----------------------------------------------------------------

    def _build_soon(self) -> None:
        """Rebuild now, or, while waiting for the first paint, just before it (a window's panes get their
        final size only while the window is shown: built once then, not once per resize)."""
        self._unbuilt = True
        if not self._waiting_for_paint:
            self._rebuild_keeping_snapshot()

    def _ensure_built(self) -> None:
        """Build the kitchen now if it waits for its first paint (the picture is needed now)."""
        self._waiting_for_paint = False
        if self._unbuilt:
            self._rebuild_keeping_snapshot()

    def _build(self) -> None:
        self._unbuilt = False
        self._drawn_tickets = None
        scene = self.scene()
        scene.clear()
        self.backdrop.clear()
        self.resetCachedContent()
        cores = min(self.timeline.cores, MAX_DRAWN_STOVES)
        layout = compute_layout(cores, self._height, self._ui, subtitle=not self.presenting or len(self.tasks) > 1)
        self.layout_ = layout
        scene.setSceneRect(0, 0, WIDTH, layout.height)
        self._build_header(layout)
        self.stoves = [self._add(StoveItem(index, layout.cell_w, layout.ui), *layout.stove_cells[index])
                       for index in range(cores)]
        self._build_regions(layout)
        self._build_pools(layout)
        self.pantry = self._add(PantryShelf(layout.pantry, layout.ui, self.timeline.kernel_thread_kib,
                                            self.timeline.memory_budget_kib, short=self.presenting))
        bottom, stoves, middle = _caption_areas(layout)
        self.frost = self._add(PaneOverlay(scene.sceneRect(), [bottom, middle], layout.ui, FROST_LOOK))
        self.deadlock = self._add(PaneOverlay(scene.sceneRect(), [bottom, middle, stoves, stoves.united(middle)],
                                              layout.ui, DEADLOCK_LOOK))
        self.closed = self._add(PaneOverlay(scene.sceneRect(), [stoves], layout.ui, CLOSED_LOOK))
        self._fit()

    def _add(self, item, x: float = 0.0, y: float = 0.0):
        """Put ``item`` in the scene at x, y, and its unchanging ``backdrop`` parts (if any) in the backdrop."""
        self.scene().addItem(item)
        item.setPos(x, y)
        backdrop = getattr(item, "backdrop", None)
        if backdrop is not None:
            self.backdrop.addItem(backdrop)
            backdrop.setPos(x, y)
        return item

    def _add_static(self, item, x: float = 0.0, y: float = 0.0):
        """Put an unchanging ``item`` in the backdrop (painted once into the cached background)."""
        self.backdrop.addItem(item)
        item.setPos(x, y)
        return item

    def _build_header(self, layout: PaneLayout) -> None:
        ui, header = layout.ui, layout.header
        title = self._add_static(Label(34 * ui, palette.INK, True, max_width=header.width() - 40 * ui))
        title.place(header.left(), header.top() + 6)
        title.show_text(self.title)
        self.subtitle = self._add(Label(21 * ui, palette.MUTED_INK))
        self.subtitle.place(header.left(), header.top() + 48 * ui)
        badge = self._add(Label(30 * ui, palette.BLUE, True))
        badge.place(header.right(), header.top() + 6, "right")
        badge.show_text("?")
        badge.setToolTip(legend_html())
        badge.setData(ROLE_KEY, "legend")
        self._build_task_legend(layout)
        if self.timeline.cores > MAX_DRAWN_STOVES:
            more = self._add_static(Label(17 * ui, palette.MUTED_INK))
            more.place(layout.stoves.right(), layout.stoves.bottom() - 20 * ui, "right")
            more.show_text(f"+ {palette.grouped(self.timeline.cores - MAX_DRAWN_STOVES)} more stoves not drawn")

    def _build_task_legend(self, layout: PaneLayout) -> None:
        """When the kitchen cooks several tasks: each task's ticket colour and name, right of the subtitle."""
        if len(self.tasks) < 2:
            return
        ui, right = layout.ui, layout.header.right()
        top = layout.header.top() + 48 * ui
        for index in reversed(range(len(self.tasks))):
            name = self._add_static(Label(21 * ui, palette.INK, True))
            name.place(right, top, "right")
            name.show_text(pane_text.short_task(self.tasks[index]))
            right -= name.boundingRect().width() + 26 * ui
            self._add_static(rounded_box(QRectF(0, 0, 20 * ui, 20 * ui), 3, palette.task_colour(index), palette.INK,
                                         edge_width=2 * ui), right + 2 * ui, top + 3 * ui)
            right -= 14 * ui

    def _build_regions(self, layout: PaneLayout) -> None:
        ui = layout.ui
        self.bench = self._add(Region(layout.bench, "Bench", ui, icon=None))
        self.bench.setToolTip("<b>Bench</b> — the kernel run queue: chefs (kernel threads) ready to cook, "
                              "waiting for a stove (CPU core)")
        self.oven = self._add(Region(layout.oven, "Oven", ui, icon="oven"))
        self.oven.setToolTip("<b>Oven</b> — I/O: chefs blocked in a system call (or on a lock in the kernel), "
                             "and tickets in the event loop's wait set")
        self.rail = self._add(Region(layout.rail, "Ticket rail", ui))
        self.rail.setToolTip("<b>Ticket rail</b> — the user-level run queue: tickets (user threads) waiting "
                             "for the head chef's clipboard (thread library) to give them a chef")
        self._rail_lines(layout)
        self.rail.note.place(layout.rail.center().x(), layout.rail.center().y(), "centre")
        self.waiting = self._add(Region(layout.waiting, "Waiting spot", ui))
        self.waiting.setToolTip("<b>Waiting spot</b> — idle kernel threads: hired, but no ticket to cook. "
                                "<b>Door</b>: exited kernel threads leave here")
        self.door_rect = _door_rect(layout)
        self._add_static(svg_icon("door", self.door_rect.width()), *self.door_rect.topLeft().toTuple())
        self.gone = Label(15 * ui, palette.MUTED_INK, False, self.waiting)
        self.gone.place(self.door_rect.center().x(), self.door_rect.bottom() + 2, "centre")

    def _rail_lines(self, layout: PaneLayout) -> None:
        grid = layout.rail_grid
        if self.bound:
            return
        for row in range(max(0, int(grid.area.height() // grid.slot_h))):
            y = grid.area.top() + row * grid.slot_h - 3
            line = self.backdrop.addLine(grid.area.left(), y, grid.area.right(), y)
            line.setPen(palette.pen(palette.REGION_EDGE, 5 * layout.ui))
            line.setZValue(1)

    def _build_pools(self, layout: PaneLayout) -> None:
        grids = (layout.bench_grid, layout.oven_grid, layout.waiting_grid)
        self._room = Capacities(*(grid.capacity for grid in grids[:2]), grids[2].capacity,
                                layout.rail_grid.capacity)
        chef_count = len(self.stoves) + sum(grid.capacity for grid in grids) + 8
        self.chefs = Pool([self._add(ChefItem(slot, layout.chef_w, layout.ui)) for slot in range(chef_count)])
        ticket_count = chef_count + layout.rail_grid.capacity + layout.oven_grid.capacity
        self.tickets = Pool([self._add(TicketItem(slot, layout.ticket_w, layout.ui))
                             for slot in range(ticket_count)])
        self.stacks = {name: self._add(StackItem(noun, layout.chef_w * 0.9, layout.ui, where=where))
                       for name, noun, where in STACKS}

    def _rebuild_keeping_snapshot(self) -> None:
        snapshot = self._snapshot
        self._build()
        if snapshot is not None:
            self.show_snapshot(snapshot)
            self.advance_tween(10.0)

    # ----- per frame ----------------------------------------------------------------------------

    def _show_stoves(self, plan: FramePlan) -> None:
        for stove, chef in zip(self.stoves, plan.stove_chefs.tolist()):
            stove.set_busy(chef >= 0)

    def _chef_targets(self, plan: FramePlan) -> tuple[np.ndarray, np.ndarray]:
        """Every drawn chef's id and top-left target, stoves first."""
        layout = self.layout_
        cooking = np.flatnonzero(plan.stove_chefs[: len(self.stoves)] >= 0)
        at_stoves = layout.stove_cells[cooking] + (layout.cell_w * 0.08, layout.cell_w * 0.12)
        keys = [plan.stove_chefs[cooking]]
        xy = [at_stoves]
        for shown, grid in ((plan.bench, layout.bench_grid), (plan.oven_chefs, layout.oven_grid),
                            (plan.waiting, layout.waiting_grid)):
            keys.append(shown.ids)
            xy.append(grid.positions[: len(shown.ids)] + (4.0, 4.0))
        return np.concatenate(keys).astype(np.int64), np.concatenate(xy)

    def _place_chefs(self, snapshot: Snapshot, plan: FramePlan) -> dict[int, int]:
        keys, xy = self._chef_targets(plan)
        self.chefs.release_except(set(keys.tolist()), self._chef_exit)
        slots = self.chefs.place(keys, xy, self._chef_spawn)
        processes = snapshot.k_process[keys].tolist()
        for slot, key, process in zip(slots, keys.tolist(), processes):
            chef = self.chefs.items[slot]
            chef.dress(key, palette.process_colour(process), self._tag(process))
            chef.set_mark(self.marks.mark_of(key))
        frozen_at_oven = (snapshot.k_state[keys] == K_BLOCKED) & self._frozen
        lifted = frozen_at_oven | (snapshot.k_process[keys] == self._stuck_process)
        self._lift(self.chefs, slots, lifted)
        self._mark_lock_waiters(snapshot, keys, slots)
        return dict(zip(keys.tolist(), slots))

    def _mark_lock_waiters(self, snapshot: Snapshot, keys: np.ndarray, slots: list[int]) -> None:
        tickets = snapshot.k_uthread[keys]
        waiting = _gather(snapshot.u_state, tickets, U_PENDING) == U_WAIT_LOCK
        for slot, wants_knife in zip(slots, waiting.tolist()):
            knife = self.chefs.items[slot].knife
            if knife.isVisible() != wants_knife:
                knife.setVisible(wants_knife)

    def _tag(self, process: int) -> str:
        """Name tag over a chef: none for ours, "clone" for a fork() child, else the neighbour's name."""
        if process == 0 or process >= len(self.timeline.processes):
            return ""
        info = self.timeline.processes[process]
        return "clone" if info.parent >= 0 else info.name

    def _door_xy(self) -> tuple[float, float]:
        door = self.door_rect
        return door.left(), door.bottom() - self.layout_.chef_h

    def _chef_spawn(self, kthread: int) -> tuple[float, float]:
        """New chefs come in by the door (a fork child's out of its parent); others step out of the bench crowd."""
        if kthread >= self._known_chefs:
            parent = self.marks.fork_parent.get(int(self._snapshot.k_process[kthread]), -1)
            return self.chefs.position_of(parent) or self._door_xy()
        return self.stacks["bench"].pos().toTuple()

    def _chef_exit(self, kthread: int) -> tuple[float, float] | None:
        """Exited chefs walk out by the door; chefs merely no longer drawn vanish into a stack."""
        exited = self._snapshot.k_state[kthread] == K_EXITED
        return self._door_xy() if exited else None

    def _ticket_exit(self, uthread: int) -> tuple[float, float] | None:
        """Finished tickets leave by the door too."""
        return self._door_xy() if self._snapshot.u_state[uthread] in _GONE else None

    def _place_tickets(self, snapshot: Snapshot, plan: FramePlan, chef_slots: dict[int, int]) -> None:
        keys, xy = self._ticket_targets(snapshot, plan, chef_slots)
        self.tickets.release_except(set(keys.tolist()), self._ticket_exit)
        slots = self.tickets.place(keys, xy, self._ticket_spawn)
        self._dress_tickets(snapshot, keys, slots)
        self._show_progress(snapshot, keys, slots)
        self._drawn_tickets = (keys, slots)

    def _ticket_targets(self, snapshot: Snapshot, plan: FramePlan,
                        chef_slots: dict[int, int]) -> tuple[np.ndarray, np.ndarray]:
        layout = self.layout_
        chefs = np.fromiter(chef_slots.keys(), dtype=np.int64, count=len(chef_slots))
        chef_xy = self.chefs.target[list(chef_slots.values())].reshape(-1, 2)
        carried = snapshot.k_uthread[chefs] >= 0
        keys = [snapshot.k_uthread[chefs][carried], plan.rail.ids, plan.oven_tickets.ids]
        in_oven = layout.oven_grid.positions[len(plan.oven_chefs.ids):][: len(plan.oven_tickets.ids)]
        xy = [chef_xy[carried] + layout.carried_ticket_offset(),
              layout.rail_grid.positions[: len(plan.rail.ids)] + (layout.ticket_w * 0.1, 0.0),
              in_oven + (layout.chef_w * 0.4, layout.chef_w * 0.2)]
        return np.concatenate(keys).astype(np.int64), np.concatenate(xy).reshape(-1, 2)

    def _ticket_spawn(self, uthread: int) -> tuple[float, float]:
        chef = int(self._snapshot.u_kthread[uthread])
        position = self.chefs.position_of(chef) if chef >= 0 else None
        if position is not None:
            offset = self.layout_.carried_ticket_offset()
            return position[0] + offset[0], position[1] + offset[1]
        return self.stacks["rail"].pos().toTuple()

    def _dress_tickets(self, snapshot: Snapshot, keys: np.ndarray, slots: list[int]) -> None:
        """Number and colour, knife, red cross, and whether the ticket is drawn above an overlay."""
        states = snapshot.u_state[keys]
        holders = set(snapshot.process_locks.values())
        for slot, key, state in zip(slots, keys.tolist(), states.tolist()):
            ticket = self.tickets.items[slot]
            if ticket.uthread != key or ticket.stuck != (state == U_STUCK):
                self._label_ticket(ticket, key, state == U_STUCK)
            ticket.set_knife(key in holders, state == U_WAIT_LOCK)
        held_up = ((states == U_WAIT_LOCK) | (states == U_STUCK)) & (snapshot.u_process[keys] == self._stuck_process)
        self._lift(self.tickets, slots, ((states == U_BLOCKED) & self._frozen) | held_up)

    def _show_progress(self, snapshot: Snapshot, keys: np.ndarray, slots: list[int]) -> None:
        """Progress bars and the notes under the tickets (countdowns to the end of their I/O, "waits", "stuck")."""
        work = snapshot.u_work[keys]
        fraction = np.divide(snapshot.u_done[keys], work, out=np.ones(len(keys)), where=work > 0)
        countdown = snapshot.u_wake_at[keys] - snapshot.t
        states = snapshot.u_state[keys].tolist()
        for slot, done, wait, state in zip(slots, fraction.tolist(), countdown.tolist(), states):
            ticket = self.tickets.items[slot]
            ticket.set_progress(done)
            ticket.countdown.show_text(_countdown(state, wait, self.presenting))

    def _lift(self, pool: Pool, slots: list[int], lifted: np.ndarray) -> None:
        """Draw these chefs or tickets above the overlay (they are what it is about) and keep its caption off them."""
        room = 24 * self.layout_.ui  # a chef's name tag above, a ticket's bar and countdown below
        for slot, lift in zip(slots, lifted.tolist()):
            item = pool.items[slot]
            item.lift(lift)
            if lift:
                self._culprits.append(item.rect().translated(*pool.target[slot]).adjusted(-room, -room, room, room))

    def _label_ticket(self, ticket: TicketItem, uthread: int, stuck: bool) -> None:
        """Number, task (when the kitchen has several; presenter mode leaves it to the colour) and task colour of a
        ticket; a red cross when stuck."""
        name = self.timeline.uthread_name(uthread)
        task = pane_text.task_of(name)
        several = len(self.tasks) > 1
        band = palette.task_colour(self.tasks.index(task)) if several and task in self.tasks else palette.YELLOW
        ticket.label(uthread, pane_text.ticket_words(name, several and not self.presenting), band, stuck)

    def _show_counts(self, snapshot: Snapshot, plan: FramePlan) -> None:
        layout = self.layout_
        self._stack_after("bench", plan.bench.hidden, layout.bench_grid, len(plan.bench.ids))
        shown_in_oven = len(plan.oven_chefs.ids) + len(plan.oven_tickets.ids)
        self._stack_after("oven", plan.oven_chefs.hidden + plan.oven_tickets.hidden, layout.oven_grid, shown_in_oven)
        self._stack_after("waiting", plan.waiting.hidden, layout.waiting_grid, len(plan.waiting.ids))
        self._stack_after("rail", plan.rail.hidden, layout.rail_grid, len(plan.rail.ids))
        self._headings(snapshot, plan)

    def _stack_after(self, name: str, hidden: int, grid, shown: int) -> None:
        stack = self.stacks[name]
        stack.show_count(hidden)
        if hidden and grid.capacity:
            x, y = grid.positions[min(shown, grid.capacity - 1)]
            stack.setPos(x + 4, y + 6)

    def _say(self, words: str, presenter_words: str) -> str:
        """The words for the pane, or fewer of them (readable from the back of a room) in presenter mode."""
        return presenter_words if self.presenting else words

    def _headings(self, snapshot: Snapshot, plan: FramePlan) -> None:
        chefs = _count(plan.bench.total, 'chef')
        self.bench.set_heading(self._say(f"Bench · kernel run queue: {chefs}", f"Bench · {chefs}"))
        parts = [f"{_count(plan.oven_chefs.total, 'chef')} blocked"] if plan.oven_chefs.total else []
        if plan.oven_tickets.total:
            parts.append(f"{_count(plan.oven_tickets.total, 'ticket')} in the wait set")
        self.oven.set_heading("Oven · " + (", ".join(parts) or "no chef blocked"))
        self._rail_heading(plan)
        idle = _count(plan.waiting.total, 'chef')
        self.waiting.set_heading(self._say(f"Waiting spot · idle: {idle}", f"Waiting spot · {idle}"))
        self.gone.show_text(f"{palette.grouped(plan.exited)} left" if plan.exited else "")
        self._show_subtitle(snapshot)

    def _show_subtitle(self, snapshot: Snapshot) -> None:
        """How many stoves cook and how many orders are done (not in presenter mode).

        The time is left to the window's scrubber: a clock here would repaint the whole pane every frame.
        """
        busy, stoves = snapshot.busy_stoves, _count(len(snapshot.stove_kthread), 'stove')
        chefs = snapshot.stove_kthread[snapshot.stove_kthread >= 0]
        ours = int(np.count_nonzero(snapshot.k_process[chefs] == 0))
        whose = f" ({ours} for our process)" if ours < busy else ""
        self.subtitle.show_text(self._say(f"{busy} of {stoves} cooking{whose} · "
                                          f"{_count(snapshot.completed, 'order')} done", ""))

    def _rail_heading(self, plan: FramePlan) -> None:
        held_up = [f"{plan.rail_lock_waiters} wait{'s' * (plan.rail_lock_waiters == 1)} for the knife"
                   ] if plan.rail_lock_waiters else []
        held_up += [f"{plan.rail_stuck} stuck"] if plan.rail_stuck else []
        tickets = _count(plan.rail.total, 'ticket')
        self.rail.set_heading(self._say(f"Ticket rail · user-level run queue: {tickets}", f"Ticket rail · {tickets}")
                              + "".join(f" · {words}" for words in held_up))
        unused = self.bound and plan.rail.total == 0
        note = self._say(pane_text.unused_rail_note(self.timeline.processes[0]), "Not used: a chef per ticket")
        self.rail.set_note(note if unused else "")

    def _show_frost(self, snapshot: Snapshot) -> None:
        frozen = self._frozen
        if frozen:
            self.frost.show_caption(*pane_text.frozen_caption(snapshot), self._culprits)
        self.frost.reveal(frozen)

    def _show_deadlock(self, deadlock) -> None:
        if deadlock is not None:
            words = pane_text.deadlock_caption(self.timeline, deadlock.info, short=self.presenting)
            self.deadlock.show_caption(*words, self._culprits)
        self.deadlock.reveal(deadlock is not None)

    def _show_terminated(self, snapshot: Snapshot) -> None:
        signal = snapshot.terminated.get(0)
        if signal is not None:
            self.closed.show_caption(*pane_text.terminated_caption(signal))
        self.closed.reveal(signal is not None)

    def _describe_chef(self, slot: int) -> str:
        key = int(self.chefs.key[slot])
        if key < 0:
            return ""
        mark = self.marks.marks.get(key)
        news = pane_text.describe_mark(self.timeline, mark.kind, mark.event) if mark else ""
        return pane_text.describe_chef(self._snapshot, self.timeline, key) + news

    def _describe_ticket(self, slot: int) -> str:
        key = int(self.tickets.key[slot])
        return pane_text.describe_ticket(self._snapshot, self.timeline, key) if key >= 0 else ""

    # ----- Qt events ----------------------------------------------------------------------------

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:  # noqa: N802 (Qt override)
        """Paper and the backdrop scene; Qt caches the result until the view is resized or rebuilt."""
        painter.fillRect(rect, self.backgroundBrush())
        painter.setRenderHints(self.renderHints())
        self.backdrop.render(painter, rect, rect, Qt.AspectRatioMode.IgnoreAspectRatio)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        height = scene_height_for(self.viewport().width(), self.viewport().height())
        if abs(height - self._height) > RELAYOUT_TOLERANCE * self._height:
            self._height = height
            self._build_soon()
        if not self._unbuilt:
            self._fit()

    def _fit(self) -> None:
        """Fit the kitchen into the view; items then glide on whole pixels and bars grow by half pixels."""
        self.fitInView(self.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
        to_view = self.viewportTransform()
        zoom, shift = to_view.m11(), np.array([to_view.dx(), to_view.dy()])
        for pool in (self.chefs, self.tickets):
            pool.set_snap(lambda xy: (np.round(xy * zoom + shift) - shift) / zoom)
        bar_px = self.layout_.ticket_w * zoom
        for ticket in self.tickets.items:
            ticket.bar_step = 0.5 / max(bar_px, 1.0)
        for item in self.chefs.items + self.tickets.items:
            item.face.set_zoom(zoom, self.devicePixelRatioF())

    def viewportEvent(self, event) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Paint:
            self._ensure_built()
        elif event.type() == QEvent.Type.ToolTip:
            text = self.describe_item(self.itemAt(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        text = self.describe_item(self.itemAt(event.position().toPoint()))
        if text:
            self.inspected.emit(text)
        super().mousePressEvent(event)


def _caption_areas(layout: PaneLayout) -> tuple[QRectF, QRectF, QRectF]:
    """Where an overlay's caption may go: over the rail, waiting spot and pantry; the stoves; the bench and oven."""
    bottom = QRectF(layout.rail.topLeft(), layout.pantry.bottomRight())
    middle = QRectF(layout.bench.topLeft(), layout.oven.bottomRight())
    return bottom, layout.stoves, middle


def _door_rect(layout: PaneLayout) -> QRectF:
    """The door at the right of the waiting spot, as tall as fits above its 'N left' label."""
    region, ui = layout.waiting, layout.ui
    height = min(72 * ui, region.height() - 34 * ui - 26 * ui)
    width = height * 44 / 72
    return QRectF(region.right() - 14 - width, region.bottom() - 24 * ui - height, width, height)


def _gather(values: np.ndarray, index: np.ndarray, missing) -> np.ndarray:
    """``values[index]``, with ``missing`` where the index is -1 (no ticket / no chef)."""
    out = np.full(len(index), missing, dtype=values.dtype)
    valid = index >= 0
    out[valid] = values[index[valid]]
    return out


_GONE = (U_FINISHED, U_REFUSED, U_KILLED)


def _count(number: int, noun: str) -> str:
    return f"{palette.grouped(number)} {noun}{'' if number == 1 else 's'}"


def _countdown(state: int, wait: float, short: bool = False) -> str:
    """The note under a ticket: time until its I/O returns (short: in seconds from 1 s), or what holds it up."""
    if state in (U_BLOCKED, U_PARKED) and wait == wait:
        return pane_text.countdown(wait, short)
    return {U_WAIT_LOCK: "waits", U_STUCK: "stuck"}.get(state, "")
