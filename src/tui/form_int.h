/* form_int.h — shared by the form's files only: form.c (the form),
 * form_pick.c (a field's pick list) and form_act.c (the actions on a
 * record that open it). */
#ifndef MINREG_FORM_INT_H
#define MINREG_FORM_INT_H

#include "core/buf.h"
#include "core/schema.h"
#include "tui/tui.h"

/* Let the clerk choose a value for c.  Returns 1 with the value in out.
 * A multi-valued column: Space marks items (the field's items marked to
 * begin with), Enter sets them joined with ';' (none marked: the one under
 * the cursor).  2: Tab, the clerk would rather type the value. */
int form_pick_value(const column *c, const char *now, buf *out);

/* (form.c) A read-only session: said, 1; else 0. */
int form_readonly_refused(void);
/* The refusal's text for a clerk in the browser: without the CLI's hint
 * "(--cascade …)", which the question after it replaces. */
void form_without_cli_hint(const char *msg, buf *out);
/* A draft kept when a session ended, offered over form v. */
void form_offer_draft(view *v);

#endif
