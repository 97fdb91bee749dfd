/**
 * Where each agent reads its hooks, which of its events agentshare hooks into, and how it wants
 * them written. All three take the same shape, `{"hooks": {Event: [{matcher, hooks: [{type:
 * "command", command, timeout}]}]}}`; they differ in file, event names, timeout units and
 * switches (Gemini CLI needs `hooksConfig.enabled`).
 *
 *   start  SessionStart: share the session (or find its share) and start its follower; the
 *          link goes back as `systemMessage`, which each agent shows the user
 *   prompt UserPromptSubmit / BeforeAgent: start the follower again if it went idle (silent)
 *   end    SessionEnd: tell the follower to upload what is left and stop
 */
import { join } from "node:path"
import type { Env } from "../env.ts"

export type Agent = "claude-code" | "codex" | "gemini-cli"
export type Verb = "start" | "prompt" | "end"

export type Target = {
  agent: Agent
  /** The settings file the hooks go in. */
  file: string
  scope: "user" | "project"
  events: { event: string; verb: Verb; timeout: number }[]
  /** Settings that must be true for the agent to run hooks at all (a JSON path each). */
  enable: string[][]
}

export function target(env: Env, agent: Agent, project: string | undefined): Target {
  const v = env.vars
  const scope = project === undefined ? "user" : "project"
  switch (agent) {
    case "claude-code":
      return {
        agent,
        scope,
        file:
          project !== undefined
            ? join(project, ".claude", "settings.json")
            : join(v.CLAUDE_CONFIG_DIR || join(env.home, ".claude"), "settings.json"),
        // Seconds.
        events: [
          { event: "SessionStart", verb: "start", timeout: 30 },
          { event: "UserPromptSubmit", verb: "prompt", timeout: 30 },
          { event: "SessionEnd", verb: "end", timeout: 10 },
        ],
        enable: [],
      }
    case "codex":
      return {
        agent,
        scope,
        file:
          project !== undefined
            ? join(project, ".codex", "hooks.json")
            : join(v.CODEX_HOME || join(env.home, ".codex"), "hooks.json"),
        // Seconds; Codex clamps SessionEnd hooks to 3.
        events: [
          { event: "SessionStart", verb: "start", timeout: 30 },
          { event: "UserPromptSubmit", verb: "prompt", timeout: 30 },
          { event: "SessionEnd", verb: "end", timeout: 3 },
        ],
        enable: [],
      }
    case "gemini-cli":
      return {
        agent,
        scope,
        file:
          project !== undefined
            ? join(project, ".gemini", "settings.json")
            : join(v.GEMINI_CLI_HOME ? join(v.GEMINI_CLI_HOME, ".gemini") : join(env.home, ".gemini"), "settings.json"),
        // Milliseconds.
        events: [
          { event: "SessionStart", verb: "start", timeout: 30_000 },
          { event: "BeforeAgent", verb: "prompt", timeout: 30_000 },
          { event: "SessionEnd", verb: "end", timeout: 10_000 },
        ],
        enable: [["hooksConfig", "enabled"]],
      }
  }
}

/** A word as the agents' shells read it: quoted when it holds anything but plain path characters. */
export function quote(word: string): string {
  return /^[A-Za-z0-9_/.:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}

/** The command a hook runs: this agentshare, under this Node, with the verb and agent. */
export function command(node: string, main: string, verb: Verb, agent: Agent): string {
  return [node, main, "hook", verb, "--agent", agent].map(quote).join(" ")
}
