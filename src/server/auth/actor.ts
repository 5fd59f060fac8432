/** Who does something, for audit rows and candidate history: an operator (userId) or a named system actor. */
export type Actor = { userId: number | null; actor: string };
