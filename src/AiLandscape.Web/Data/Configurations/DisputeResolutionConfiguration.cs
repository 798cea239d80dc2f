using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AiLandscape.Web.Data.Configurations;

public class DisputeResolutionConfiguration : IEntityTypeConfiguration<DisputeResolution>
{
    public void Configure(EntityTypeBuilder<DisputeResolution> b)
    {
        // One decision per disputed field; a profile loads those of its records with its citations.
        b.HasIndex(x => new { x.RecordType, x.RecordId, x.Field }).IsUnique();
        b.Property(x => x.Field).HasMaxLength(64);
        b.Property(x => x.AcceptedValue).HasMaxLength(500);
        b.Property(x => x.Reason).HasMaxLength(2000);
        b.Property(x => x.ResolvedBy).HasMaxLength(256);
        b.HasOne(x => x.AcceptedSource).WithMany().HasForeignKey(x => x.AcceptedSourceId).OnDelete(DeleteBehavior.SetNull);
        b.Property(x => x.Version).IsRowVersion();
    }
}
