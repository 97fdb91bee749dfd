/** Page views in storage: per share per UTC day, with the day's visitor hashes for uniques. */

export type ViewCount = { views: number; uniques: number }
export type ViewBatch = { shareID: string; day: string; views: number; visitors: string[] }
export type DayViews = ViewCount & { day: string }

export interface Views {
  /** Adds counted views in one transaction; a visitor hash (keyed with the day's salt) is unique
   * the first time it is seen that day. Answers the entries that were the share's first views that day. */
  add(batch: ViewBatch[]): Promise<ViewBatch[]>
  /** Totals per share over all days (views and the sum of daily uniques). */
  totals(ids: string[]): Promise<Map<string, ViewCount>>
  /** Per-day counts of one share, newest day first. */
  days(id: string, limit: number): Promise<DayViews[]>
  /** Deletes the visitor hashes of days before `day`; answers how many. */
  forget(day: string): Promise<number>
}
