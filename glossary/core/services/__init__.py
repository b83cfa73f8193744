"""Every write to the glossary, one module per kind of work; import services from here.

Views, the admin, the API and commands call these; nothing else calls ``save()`` on a domain
object. Each service is keyword-only, runs in one transaction, locks what it changes, validates
before writing and records what it did in the concept's history.
"""

from glossary.core.services.data import (
    HISTORY_ACTIONS,
    CitationData,
    DraftData,
    RelationData,
    TermData,
    apply_content,
    clean_imported_history,
    insert_children,
    term_problems,
    validate_draft,
    write_content,
)
from glossary.core.services.drafts import (
    concept_create,
    concept_retire,
    concepts_create,
    draft_start,
    draft_update,
    drafts_assess,
    new_version,
    validate_uid,
    version_withdraw,
)
from glossary.core.services.history import (
    BatchError,
    EventRow,
    bump_publication,
    check_each,
    event_row,
    lock_versions,
    publication_touch,
    publish_versions,
    record_event,
    run_single,
    system_user,
    transition,
    version_in,
    write_events,
)
from glossary.core.services.jobs import (
    JobCancelled,
    JobError,
    JobProgress,
    JobRefused,
    Progress,
    dead_after,
    job_cancel,
    job_create,
    job_progress,
    job_reap,
    job_run,
    job_take_data,
    jobs_reap,
)
from glossary.core.services.people import (
    IssuedToken,
    account_give_role,
    api_token_issue,
    api_token_revoke,
    person_ensure,
    preferences_save,
)
from glossary.core.services.reference import domain_copy, domain_save, source_copy, source_save
from glossary.core.services.releases import release_cut
from glossary.core.services.review import (
    send_to_review,
    version_approve,
    version_request_changes,
    version_review,
    version_submit,
    versions_approve,
    versions_review,
    versions_submit,
    versions_submit_and_approve,
)

__all__ = [
    "BatchError",
    "CitationData",
    "DraftData",
    "HISTORY_ACTIONS",
    "IssuedToken",
    "JobCancelled",
    "JobError",
    "JobProgress",
    "JobRefused",
    "Progress",
    "RelationData",
    "TermData",
    "account_give_role",
    "person_ensure",
    "preferences_save",
    "api_token_issue",
    "api_token_revoke",
    "apply_content",
    "bump_publication",
    "check_each",
    "clean_imported_history",
    "concept_create",
    "concept_retire",
    "concepts_create",
    "domain_copy",
    "domain_save",
    "draft_start",
    "draft_update",
    "drafts_assess",
    "EventRow",
    "event_row",
    "insert_children",
    "dead_after",
    "job_cancel",
    "job_create",
    "job_progress",
    "job_reap",
    "job_run",
    "job_take_data",
    "jobs_reap",
    "lock_versions",
    "new_version",
    "publication_touch",
    "publish_versions",
    "record_event",
    "release_cut",
    "run_single",
    "send_to_review",
    "source_copy",
    "source_save",
    "system_user",
    "term_problems",
    "transition",
    "validate_draft",
    "validate_uid",
    "version_approve",
    "version_in",
    "version_request_changes",
    "version_review",
    "version_submit",
    "version_withdraw",
    "versions_approve",
    "versions_review",
    "versions_submit",
    "versions_submit_and_approve",
    "write_content",
    "write_events",
]

# Proposals from readers (issue 17).
from glossary.core.services.proposals import (  # noqa: E402
    proposal_accept,
    proposal_decline,
    proposal_merge,
    proposal_submit,
)

__all__ += ["proposal_accept", "proposal_decline", "proposal_merge", "proposal_submit"]

# Watching a concept or a domain by e-mail (issue 17).
from glossary.core.services.watching import (  # noqa: E402
    watch_confirm,
    watch_request,
    watch_stop,
)

__all__ += ["watch_confirm", "watch_request", "watch_stop"]

# Decision records (issue 17).
from glossary.core.services.rounds import dialogue_round_save, rounds_cite  # noqa: E402

__all__ += ["dialogue_round_save", "rounds_cite"]

# Public consultation (appended: kept apart from the list above to ease merging).
from glossary.core.services.consultation import (  # noqa: E402
    comment_submit,
    comments_moderate,
    consultation_close,
    consultation_open,
)

__all__ += [
    "comment_submit",
    "comments_moderate",
    "consultation_close",
    "consultation_open",
]

# Authorities and their renderings (issue 18).
from glossary.core.services.data import RENDERING_FIELDS, RenderingData  # noqa: E402
from glossary.core.services.reference import authority_copy, authority_save  # noqa: E402

__all__ += ["RENDERING_FIELDS", "RenderingData", "authority_copy", "authority_save"]
