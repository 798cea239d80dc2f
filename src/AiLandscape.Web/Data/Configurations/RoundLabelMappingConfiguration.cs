using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AiLandscape.Web.Data.Configurations;

public class RoundLabelMappingConfiguration : IEntityTypeConfiguration<RoundLabelMapping>
{
    public void Configure(EntityTypeBuilder<RoundLabelMapping> b)
    {
        b.Property(x => x.Label).HasMaxLength(100);
        b.Property(x => x.NormalizedLabel).HasMaxLength(100);
        // Forms and the import look a label up by its folded form: one mapping per folded label.
        b.HasIndex(x => x.NormalizedLabel).IsUnique();
        b.Property(x => x.Notes).HasMaxLength(500);
        b.Property(x => x.Version).IsRowVersion();
    }
}
