// How often open views re-read what they show, so a change made by someone else appears
// without a reload (e.g. a task moved to Done shows as Done in an open client portal).
export const LIVE_REFRESH_MS = 3_000;
