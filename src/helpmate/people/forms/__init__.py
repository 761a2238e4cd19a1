"""Forms for the people pages. They check input and show field errors; writes go through
``helpmate.people.actions``, which repeat the checks that matter (a form is never the only guard).
"""

from helpmate.people.forms.agents import EditAgentForm, NewAgentForm, ProfileForm, TokenForm
from helpmate.people.forms.common import time_zone_names
from helpmate.people.forms.contacts import ContactForm, OrganizationForm, TeamForm

__all__ = [
    "ContactForm",
    "EditAgentForm",
    "NewAgentForm",
    "OrganizationForm",
    "ProfileForm",
    "TeamForm",
    "TokenForm",
    "time_zone_names",
]
