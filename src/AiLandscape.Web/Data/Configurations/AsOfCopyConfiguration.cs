using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AiLandscape.Web.Data.Configurations;

public class AsOfCopyConfiguration : IEntityTypeConfiguration<AsOfCopy>
{
    public void Configure(EntityTypeBuilder<AsOfCopy> b)
    {
        // Unlogged like the copies it lists: a crash or a failover empties both, so no emptied copy is served.
        b.ToTable("as_of_copies").IsUnlogged();
        b.HasKey(x => x.SchemaName);
        b.Property(x => x.SchemaName).HasMaxLength(63);
    }
}
