#ifndef HATTAMA_CTESSERACT_SHIM_H
#define HATTAMA_CTESSERACT_SHIM_H
// Leptonica first: it defines struct Pix, which tesseract's C API uses.
#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

// libgomp reads OMP_THREAD_LIMIT before main; this call limits OpenMP in-process instead.
// Declared here so the project need not depend on omp.h.
void omp_set_max_active_levels(int max_levels);
void omp_set_num_threads(int num_threads);
#endif
