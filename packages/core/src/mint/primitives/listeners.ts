/** A set of listeners an event is delivered to, each added with a function that removes it again. */
export interface Listeners<E> {
  add(listener: (event: E) => void): () => void
  emit(event: E): void
}

export function createListeners<E>(): Listeners<E> {
  const listeners = new Set<(event: E) => void>()
  return {
    add(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    emit(event) {
      for (const listener of listeners) listener(event)
    },
  }
}
