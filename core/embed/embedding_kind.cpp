#include "embed/embedding_kind.h"

namespace mg::embed {

const char* kindName(EmbeddingKind kind) {
  switch (kind) {
  case EmbeddingKind::Parameter: return "param";
  case EmbeddingKind::Fisher: return "fisher";
  case EmbeddingKind::Data: return "data";
  }
  return "param";
}

std::optional<EmbeddingKind> parseKind(const std::string& text) {
  for (const auto kind : {EmbeddingKind::Parameter, EmbeddingKind::Fisher, EmbeddingKind::Data})
    if (text == kindName(kind)) return kind;
  return std::nullopt;
}

const char* projectionName(Projection projection) {
  switch (projection) {
  case Projection::Pca: return "pca";
  case Projection::Mds: return "mds";
  case Projection::Tsne: return "tsne";
  }
  return "pca";
}

std::optional<Projection> parseProjection(const std::string& text) {
  for (const auto projection : {Projection::Pca, Projection::Mds, Projection::Tsne})
    if (text == projectionName(projection)) return projection;
  return std::nullopt;
}

} // namespace mg::embed
