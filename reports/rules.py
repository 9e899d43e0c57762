"""The province's figures (S3, A3): admins, the office's clerks and the leaders of an organising
unit (the Provincial Office's leadership). A unit's leader and its clerk see their own unit's
figures."""

import rules

from accounts.rules import (
    has_unit,
    is_admin,
    is_clerk,
    is_unit_leader,
    is_unit_manager,
    unit_may_organise,
)

reports_on_own_unit = has_unit & is_unit_manager
reports_on_province = is_admin | is_clerk | (is_unit_leader & unit_may_organise)
rules.add_perm("reports.view_province", reports_on_province)
rules.add_perm("reports.view_statistics", reports_on_province | reports_on_own_unit)
# Sign-ins name people, addresses and browsers: the admin and the office's leaders see them all,
# a unit's leader sees its own unit's accounts.
rules.add_perm("reports.view_login_log", is_admin | (is_unit_leader & has_unit))
