/** Candidates: the review console's list, detail and every operator action on the candidate record. */
export { listCandidates, countCandidatesByTab, neighbourCandidateIds, loadCandidates, selectCandidateIds } from './list';
export { candidateCsvChunks, candidateCsvFilename } from './export-csv';
export {
  getCandidateOrThrow,
  listCandidateEvents,
  updateCandidate,
  transitionCandidate,
  transitionCandidates,
  attachCoupangLink,
  undoLastAction,
  type Actor,
  type BulkResult,
  type LinkResult,
} from './actions';
export { toCandidateDto, effectiveProductName, withDisclosure } from './dto';
export { checkTransition, allowedTransitions, approveBlocker, bulkActionsFor } from './transitions';
export { candidateFilterOptions, type FilterOptions } from './filter-options';
