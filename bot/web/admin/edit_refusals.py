"""Why an edit of the content cannot be applied, in the admin's language. bot/content raises
`EditRefused(template, **params)` with an English template; the templates are listed here so
`puente i18n extract --admin` finds them (tests/admin/test_edit_refusals.py fails when one is
missing), and `told` translates one."""

from __future__ import annotations

from bot.content.yamledit import EditRefused
from bot.web.admin.translations import N_, _

# Every template of bot/content's editing modules (yamledit, editing, nlu_editing, structure,
# phrases_editing, values_editing).
TEMPLATES = (
    N_("step '%(step_id)s' is not in this file"),
    N_("button '%(choice_id)s' does not exist"),
    N_("'%(ctx)s' is not a text of this file"),
    N_("step '%(step)s' has no buttons"),
    N_('the file is not valid YAML: %(error)s'),
    N_('write true or false'),
    N_("'%(raw)s' is not a date: write it as year-month-day, e.g. 2026-03-31"),
    N_("there is no text '%(ctx)s' in the content"),
    N_("there is no flow '%(flow_id)s'"),
    N_('the text contains invisible control characters; type it again'),
    N_('the text has %(length)s characters; the most a message can hold is %(max_text)s'),
    N_('the Spanish text cannot be empty'),
    N_("'%(lang)s' is not a translated language"),
    N_("there is no text '%(ctx)s' in the %(lang)s catalog"),
    N_("'%(key)s' cannot be edited here"),
    N_("'%(key)s' must fit on one line"),
    N_("a button id uses lowercase letters, digits and _ (e.g. 'wages'), at most 40"),
    N_('where a button goes must fit on one line'),
    N_('this step has no buttons; buttons can be added only where there are some'),
    N_("there is already a button '%(choice_id)s'"),
    N_("'%(lang)s' is not a shipped language"),
    N_('the example has no words'),
    N_('examples are at most %(max_example_chars)s characters'),
    N_('this sentence is already an example in this language'),
    N_("step '%(step_id)s' is not in this flow"),
    N_('this file has no steps'),
    N_("a step's short name uses lowercase letters, digits and _ (e.g. 'rest_day'), at most %(most)s"),
    N_("there is already a step '%(step_id)s' in this conversation"),
    N_('write the label of the button that leads to the new step'),
    N_("step '%(old)s' is not in this conversation"),
    N_("there is already a step '%(new)s' in this conversation"),
    N_('the first step of a conversation keeps its name: other parts of the bot start there'),
    N_("step '%(step_id)s' is not in this conversation"),
    N_('the first step of a conversation cannot be removed'),
    N_("'%(name)s' must fit on one line"),
    N_("the menu already has a button '%(step_id)s'"),
    N_("step '%(step)s' of '%(flow)s' continues to it (%(what)s); change that first"),
    N_('at most %(max_words)s trigger words per language'),
    N_("'%(word)s' is not a trigger: a few words, at most %(max_word_chars)s characters"),
    N_("'%(word)s': write one trigger per line, without , [ ] { } or #"),
    N_("examples are at most %(max_example_chars)s characters: '%(text)s…'"),
    N_("there is no item '%(item_id)s'"),
    N_("'%(raw)s' is not a number"),
    N_("there is no value '%(name)s'"),
    N_('the source must fit on one line'),
    N_("there is no data file '%(name)s'"),
    N_('at most %(max_field)s characters in one field'),
    N_('this field must fit on one line'),
    N_("a short name uses lowercase letters, digits and _ (e.g. 'casa_nueva'), at most 40"),
    N_("there is already an item '%(item_id)s'"),
    N_("'%(raw)s' is not a number: write it with a point for decimals, e.g. 315.04"),
    N_("'%(key)s' is not a field of this list"),
)


def told(refused: EditRefused) -> str:
    """The refusal in the request's language (its English when a template is not listed)."""
    text = _(refused.template)
    try:
        return text % refused.params if refused.params else text
    except (KeyError, TypeError, ValueError):
        return str(refused)
