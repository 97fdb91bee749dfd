/** Structured logs to stderr with pino; credentials are redacted wherever they appear. */
import { pino, type DestinationStream, type Logger } from "pino"
import type { Config } from "./config.ts"

export type { Logger }

const REDACT = [
  "secret",
  "token",
  "authorization",
  "*.secret",
  "*.token",
  "*.authorization",
  "req.headers.authorization",
  "req.headers.cookie",
]

export function create(config: Pick<Config, "logLevel" | "logFormat">, destination?: DestinationStream): Logger {
  const options = {
    level: config.logLevel,
    redact: { paths: REDACT, censor: "[redacted]" },
    base: { service: "agentshare" },
  }
  if (destination) return pino(options, destination)
  if (config.logFormat === "pretty") {
    return pino(
      options,
      pino.transport({
        target: "pino-pretty",
        options: { destination: 2, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname,service" },
      }),
    )
  }
  return pino(options, pino.destination(2))
}

/**
 * The logger of one request, whose lines carry its id: made when the request logs something,
 * not for every request (most log only their request line).
 */
export const ofRequest = (log: Logger, requestId: string): Logger => log.child({ reqId: requestId })

/** A logger that writes nothing, for tests and embedding. */
export const silent = (): Logger => pino({ level: "silent" })
