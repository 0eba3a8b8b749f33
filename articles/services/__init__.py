"""The editorial workflow: every change of a story's state goes through one of these functions.

Each checks who is acting and whether the story may make that move, applies the side effects
(version, timestamps, revision history, audit log) and announces public changes to listeners.
Admin buttons, admin actions, API verbs and the scheduler all call these; none decides on its own.

Modules: `errors` (what the services raise), `workflow` (the moves: submit, send back, publish,
unpublish, kill, correct), `scheduling` (scheduled stories and the scheduler's go-live), `editing`
(filing, editing and restoring a story), `imports` (saving an imported story), `seeding` (loading a
reviewed story file such as the interview), `speakers` (matching the people quoted), `reviewing`
(clearing review flags), `previews` (making and revoking preview links), `slugs` (new addresses),
`recording` (the revision, audit entry and announcement every change leaves).

Imports run one way: admin, API, views and commands → services → models and the helpers beside them.
"""
