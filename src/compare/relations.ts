// The relations compare() gives, in a module of their own: the report and the CLI list them
// without loading the judgement stage (and the language models it imports).

/** What one article is to another. */
export type Relation = 'duplicate' | 'copy' | 'rewrite' | 'partial' | 'translation' | 'related' | 'unrelated'

/** Relations that put two articles in one cluster. */
export const LINKING_RELATIONS: readonly Relation[] = ['duplicate', 'copy', 'rewrite', 'partial', 'translation']

/** Every relation, linking or not. */
export const RELATIONS: readonly Relation[] = [...LINKING_RELATIONS, 'related', 'unrelated']
