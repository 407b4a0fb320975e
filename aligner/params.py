"""Every number that steers matching, in one place, with what it trades.

The defaults were calibrated on the development gold set (Qinghai) and checked on the constructed
held-out plans (README "Thresholds", "Accuracy"); changing one changes answers, so each says what
raising or lowering it does. Parameters are passed explicitly (`align(..., params=MatchParams(...))`),
never read from module state, so two alignments with different parameters can run side by side.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MatchParams:
    """The matcher's weights, thresholds and limits (defaults: the calibrated values)."""

    # --- where a score becomes a link ------------------------------------------------------------
    # Title character similarity for a near-verbatim ("same") link. Lower: reworded titles are
    # reported as "same"; higher: only identical titles are.
    same: float = 0.90
    # Score from which the national task counts as covered ("adapted"). Lower: more coverage, more
    # false "covered"; higher: more tasks only "partial".
    adapted: float = 0.55
    # Lowest score that is still a link ("partial"). Lower: fewer provincial additions but more weak,
    # wrong links; higher: true but loosely worded links become additions.
    link: float = 0.44
    # A second national counterpart must score within this of the best. Higher: merged tasks link to
    # more national tasks, and so do vague ones; lower: one counterpart per provincial task.
    second: float = 0.06
    # An aligned action lifts its tasks' scores by this fraction. Higher: the plans' structure decides
    # more, a task placed in another action loses out; lower: structure is ignored.
    action_lift: float = 0.20
    # A province-only action damps its tasks' scores by this fraction. Higher: its tasks become
    # additions even when they restate a national task; lower: they link on wording alone.
    action_damp: float = 0.20
    # A task in an aligned action damps its scores against national clauses outside that action by
    # this fraction. Higher: a task stays inside its action's counterpart even when another part
    # restates it; lower: words shared with a far part of the plan (a measure's body) link.
    action_elsewhere_damp: float = 0.10
    # Action similarity needed to call two actions aligned. Lower: actions pair up on thin evidence,
    # so lifts land in the wrong place; higher: few actions align and lifts rarely apply.
    action_match: float = 0.40
    # Title signal a provincial action's bare name needs against a national TASK's title for the action to count as
    # that task promoted to a whole action (its sub-tasks then link to it as partial). Lower: more
    # actions read as one task, and their sub-tasks get links they may not deserve; higher: a
    # promoted task's sub-tasks stay "additions".
    promoted_task: float = 0.70

    # Name similarity a provincial item called ……行动 needs to a national action's name to be read as
    # that whole action (news and openings list the actions as items: 实施设备更新、……等4大行动); it
    # must also beat the runner-up by `second`. Lower: an item names an action on thin evidence and
    # loses its task links; higher: listed actions link to whichever task shares their words.
    named_action: float = 0.55

    # A phrase of a provincial task's own body (between commas) that restates one national clause on
    # its own gives a second, "partial" link to it (强化用地和创新保障。……，加强关键核心技术攻关 →
    # 强化创新支撑): the phrase must score `body_phrase` against that clause (after the action
    # lift or damping) and beat every other national clause by `body_phrase_margin`. Lower: a task
    # links to whatever its body mentions in passing; higher: merged tasks whose title names only
    # one of their parts leave the other national tasks as gaps. A phrase that only mentions a task in
    # passing (与……统筹考虑, 配合做好……) is not read. Such a link is partial and shows the
    # pair's own score (below `adapted`; often below `link`, the quoted phrase being the evidence).
    body_phrase: float = 0.60
    body_phrase_margin: float = 0.20
    # The same for a task whose title links to nothing (持续推进……, a general phrase): its body phrase
    # is then its only link, so it needs this score. Lower: provincial additions whose bodies echo a
    # national phrase are no longer reported as additions; higher: tasks with general titles and
    # specific bodies stay additions.
    body_phrase_alone: float = 0.75
    # A provincial item with no body to confirm or refute its title (an item a news report lists, a
    # one-line task) links nowhere by `link`, yet one national clause may stand out: it gets a
    # "partial" link, with its own score, when that clause scores at least `lone_title` × `link`
    # (after the action lift or damping; 0.32 with the default link), at least `lone_title_ratio`
    # times every other national clause, and the two titles themselves resemble each other by
    # `lone_title_heading` (title signal): words found only in the national body (古镇保护 and a
    # body's 权益保护) are not enough without a body. A fraction of `link`, so a stricter link
    # threshold is stricter here too. Lower any: more listed items link to the one task they faintly
    # resemble, provincial additions among them; higher: items the tool could place stay additions.
    lone_title: float = 0.73
    lone_title_ratio: float = 2.5
    lone_title_heading: float = 0.10
    # Shortest such phrase (characters, punctuation dropped) and the most phrases read per task
    # (bounds the work on long bodies). Shorter: generic fragments (加强监管) are looked up.
    min_body_phrase_chars: int = 6
    body_phrases_read: int = 12

    # --- how the signals of one pair fold into a score (match.score_pair) -------------------------
    # Power applied to the titles' character ratio. Higher: only near-verbatim titles score on
    # characters (shared generic characters are muted more); lower: loosely similar titles score.
    title_ratio_power: int = 2
    # Power of the IDF weights when the provincial title's words are looked for anywhere in the
    # national text. Higher: only the rarest words count; lower: common words found in a long text
    # make scattered matches.
    rare_word_power: int = 2
    # Weight of "title words somewhere in the national text" when the province wrote a body (its body
    # speaks for itself) and when it did not. Higher: scattered words link more; lower: fewer links
    # for terse provincial tasks.
    spread_with_body: float = 0.5
    spread_without_body: float = 0.75
    # "National title named in the provincial text" counts this much even when the bodies disagree,
    # and fully from a body similarity of `named_body_agreement`. Higher floor: a body naming another
    # task in passing links to it; lower: naming needs the bodies to agree.
    named_floor: float = 0.6
    named_body_agreement: float = 0.5
    # Body evidence is worth this fraction of title evidence of the same strength. Higher: bodies
    # decide more (long texts share many words); lower: headings decide almost alone.
    body_discount: float = 0.85
    # Bonus for title and body evidence agreeing: score = max + bonus × min. Higher: agreement
    # outranks one strong signal; lower: one signal decides.
    agreement_bonus: float = 0.25

    # --- aligning actions --------------------------------------------------------------------------
    # Weight of the action names, and of the share of the action's tasks whose best counterpart lies
    # in the national action. More name weight: actions align by what they are called, which terse
    # or renamed actions defeat; more share weight: by what they contain.
    action_name_weight: float = 0.5
    action_share_weight: float = 0.5

    # --- word weights (BM25 IDF) -------------------------------------------------------------------
    # Smoothing of the BM25 IDF, log(1 + (N − df + s) / (df + s)). Higher: rare and common words
    # weigh more alike; lower: a word's rarity dominates.
    idf_smoothing: float = 0.5
    # Words in more than this share of all clauses (推进, 加强 …) are not shown as evidence. Higher:
    # common words appear among the shared terms; lower: fewer terms shown.
    generic_share: float = 0.25

    # --- preparing texts ---------------------------------------------------------------------------
    # Shortest comma-delimited phrase (characters, punctuation dropped) a provincial title is matched
    # against. Lower: short fragments (推进…) give spurious phrase matches; higher: short national
    # phrases that name a task are missed.
    min_phrase_chars: int = 4
    # Shortest sentence kept for evidence.
    min_sentence_chars: int = 2
    # Shortest part of a merged title (A和B) looked up on its own. Lower: single words are looked up
    # and link anywhere; higher: merged titles of short parts link to one task only.
    min_part_chars: int = 3
    # Shortest part of a merged action name (循环经济、科技创新和碳汇行动) matched to a national action's
    # name. Lower: one-character parts name actions; higher: two-character fields (碳汇) are missed.
    min_action_part_chars: int = 2
    # A merged title's earlier part is also read with the last part's final N characters (its head
    # noun: 住房和社会保障体系 → 住房保障体系), for each N here.
    head_noun_lengths: tuple[int, ...] = (2, 3, 4)

    # --- evidence shown with a link ----------------------------------------------------------------
    # Sentences of the national clause and of the provincial one searched for the best pair. More:
    # better pairs in long clauses, slower (the search is their product); fewer: faster.
    evidence_national_sentences: int = 60
    evidence_province_sentences: int = 40
    # Distinctive shared terms listed, and the shortest such term in characters.
    evidence_terms: int = 6
    min_term_chars: int = 2
    # The best sentence pair: how much of the provincial sentence the national one contains, and how
    # much the two overlap. More containment: a short provincial sentence inside a long national one
    # wins; more overlap: sentences of similar length win.
    sentence_containment_weight: float = 0.7
    sentence_overlap_weight: float = 0.3
    # Characters of a long sentence shown, cut around the first shared term.
    excerpt_width: int = 80

    # --- candidate search (bounded matching) -------------------------------------------------------
    # Pairs whose score provably cannot reach this floor are never scored in detail: an inverted index
    # of the provincial text's weightiest terms and a bulk title ratio give an upper bound for every
    # pair. None: the lowest score that can still change a result with these parameters
    # (link / (1 + action_lift) for links; adapted for the parts of a merged title), so the search
    # loses nothing. Lower: more pairs scored, slower, same results; higher: faster, but links (and
    # the evidence for aligning actions) scoring between the two are lost.
    candidate_floor: float | None = None
    # Score every pair instead (time and memory grow with the product of the two plans' clauses):
    # for checking the candidate search.
    exhaustive: bool = False

    def pair_floor(self) -> float:
        """The raw score below which a pair can change nothing: no link, no action evidence."""
        if self.candidate_floor is not None:
            return self.candidate_floor
        return min(self.link, self.adapted) / (1 + max(self.action_lift, 0.0))

    def part_floor(self) -> float:
        """The score below which a merged title's part names no national task on its own."""
        return self.candidate_floor if self.candidate_floor is not None else self.adapted

    def preparation(self) -> tuple[int, int, int]:
        """The parameters a prepared (cached) national plan depends on."""
        return self.min_phrase_chars, self.min_sentence_chars, self.evidence_national_sentences


# The name the CLI and callers have used for the same parameters (they set `link` and `adapted`).
Thresholds = MatchParams
