/* form_int.h — shared by the form's files only: form.c (the form),
 * form_pick.c (a field's pick list) and form_act.c (the actions on a
 * record that open it). */
#ifndef MINREG_FORM_INT_H
#define MINREG_FORM_INT_H

#include "core/buf.h"
#include "core/schema.h"
#include "tui/tui.h"

/* (form.c) A read-only session: said, 1; else 0. */
int form_readonly_refused(void);
/* The refusal's text for a clerk in the browser: without the CLI's hint
 * "(--cascade …)", which the question after it replaces. */
void form_without_cli_hint(const char *msg, buf *out);
/* A draft kept when a session ended, offered over form v. */
void form_offer_draft(view *v);

#endif
