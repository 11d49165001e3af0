#pragma once
// RAII owners for htslib handles; nothing outside these types holds a raw handle.
#include <htslib/bgzf.h>
#include <htslib/faidx.h>
#include <htslib/hts.h>
#include <htslib/hts_log.h>
#include <htslib/kstring.h>
#include <htslib/tbx.h>
#include <htslib/vcf.h>

#include <memory>
#include <mutex>

namespace gc::genome::detail {

struct FaiFree {
  void operator()(faidx_t* p) const noexcept { fai_destroy(p); }
};
struct HtsClose {
  void operator()(htsFile* p) const noexcept { hts_close(p); }
};
struct BgzfClose {
  void operator()(BGZF* p) const noexcept { bgzf_close(p); }
};
struct HdrFree {
  void operator()(bcf_hdr_t* p) const noexcept { bcf_hdr_destroy(p); }
};
struct Bcf1Free {
  void operator()(bcf1_t* p) const noexcept { bcf_destroy(p); }
};
struct IdxFree {
  void operator()(hts_idx_t* p) const noexcept { hts_idx_destroy(p); }
};
struct TbxFree {
  void operator()(tbx_t* p) const noexcept { tbx_destroy(p); }
};
struct ItrFree {
  void operator()(hts_itr_t* p) const noexcept { hts_itr_destroy(p); }
};
struct MallocFree {
  void operator()(void* p) const noexcept { std::free(p); }
};

using FaiPtr = std::unique_ptr<faidx_t, FaiFree>;
using HtsFilePtr = std::unique_ptr<htsFile, HtsClose>;
using BgzfPtr = std::unique_ptr<BGZF, BgzfClose>;
using HdrPtr = std::unique_ptr<bcf_hdr_t, HdrFree>;
using Bcf1Ptr = std::unique_ptr<bcf1_t, Bcf1Free>;
using IdxPtr = std::unique_ptr<hts_idx_t, IdxFree>;
using TbxPtr = std::unique_ptr<tbx_t, TbxFree>;
using ItrPtr = std::unique_ptr<hts_itr_t, ItrFree>;
template <typename T>
using MallocPtr = std::unique_ptr<T, MallocFree>;

// htslib warns on stderr about things we report ourselves (missing contig lines, rebuilt
// indices); keep only its errors, and only lower the level once so a caller's choice wins.
inline void quiet_htslib() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (hts_get_log_level() > HTS_LOG_ERROR) hts_set_log_level(HTS_LOG_ERROR);
  });
}

} // namespace gc::genome::detail
