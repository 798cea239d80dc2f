using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AiLandscape.Web.Data.Configurations;

public class CompanyRoleConfiguration : IEntityTypeConfiguration<CompanyRole>
{
    public void Configure(EntityTypeBuilder<CompanyRole> b)
    {
        b.HasOne(x => x.Company).WithMany(c => c.Roles).HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Person).WithMany(p => p.Roles).HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.CompanyId, x.PersonId, x.Kind }).IsUnique();
        b.Property(x => x.Title).HasMaxLength(200);
        b.Property(x => x.Version).IsRowVersion();
    }
}
