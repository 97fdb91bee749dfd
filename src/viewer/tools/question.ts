/** question: what the agent asked and what the user answered. */
import { escape } from "../escape.ts"
import { arr, isRec, str } from "../read.ts"
import { frame, type Tool } from "./frame.ts"

export function question(t: Tool): string {
  const questions = arr(t.input.questions).filter(isRec)
  const answers = arr(t.meta.answers)
  const rows = questions.map((q, i) => {
    const given = arr(answers[i])
      .map((a) => `<li>${escape(typeof a === "string" ? a : JSON.stringify(a))}</li>`)
      .join("")
    const options = arr(q.options)
      .filter(isRec)
      .map(
        (o) =>
          `<li>${escape(str(o.label))}${str(o.description) ? ` <span class="muted">— ${escape(str(o.description))}</span>` : ""}</li>`,
      )
      .join("")
    return `<div class="question">${str(q.header) ? `<div class="label">${escape(str(q.header))}</div>` : ""}<p>${escape(str(q.question))}</p>${options ? `<details><summary>Options</summary><ul>${options}</ul></details>` : ""}${given ? `<div class="answer"><div class="label">Answer</div><ul>${given}</ul></div>` : t.status === "completed" ? '<p class="muted">No answer.</p>' : ""}</div>`
  })
  const answered = answers.filter((a) => arr(a).length > 0).length
  return frame(t, {
    label: "Questions",
    subtitle: `${answered}/${questions.length} answered`,
    body: rows.join(""),
    cls: "question",
  })
}
