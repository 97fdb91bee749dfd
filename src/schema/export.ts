/** The `opencode export <id>` document, which `opencode import file.json` reads back. */
import { z } from "zod"
import { Message, Part, Session } from "./opencode.ts"

/** One message with its parts, in the order OpenCode stores them. */
export const ExportedMessage = z.looseObject({ info: Message, parts: z.array(Part) })
export type ExportedMessage = z.infer<typeof ExportedMessage>

/** A whole session as `opencode export` prints it. */
export const Exported = z.looseObject({ info: Session, messages: z.array(ExportedMessage) })
export type Exported = z.infer<typeof Exported>
