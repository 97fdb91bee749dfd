/** The branch checked out in a directory, from `.git/HEAD` (a worktree's `.git` file points at
 * its own HEAD). For agents whose files do not record the branch. */
import { dirname, isAbsolute, join } from "node:path"
import * as Small from "./small.ts"

export function branch(dir: string): string | undefined {
  let cur = dir
  for (let i = 0; i < 64 && cur; i++) {
    const dotgit = join(cur, ".git")
    const file = Small.text(dotgit, 4096)
    const gitdir = file?.startsWith("gitdir:") ? file.slice(7).trim() : undefined
    const head = Small.text(join(gitdir ? (isAbsolute(gitdir) ? gitdir : join(cur, gitdir)) : dotgit, "HEAD"), 4096)
    if (head !== undefined) {
      const m = /^ref: refs\/heads\/(.+)$/m.exec(head)
      return m ? m[1].trim().slice(0, 256) : undefined
    }
    const up = dirname(cur)
    if (up === cur) break
    cur = up
  }
  return undefined
}
